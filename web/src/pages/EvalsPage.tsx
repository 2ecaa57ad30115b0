/** Evals page. */
export function EvalsPage() {
  return <h1>Evals</h1>;
}
