/** Tagging page. */
export function TaggingPage() {
  return <h1>Tagging</h1>;
}
