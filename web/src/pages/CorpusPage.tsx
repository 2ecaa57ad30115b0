/** Corpus page. */
export function CorpusPage() {
  return <h1>Corpus</h1>;
}
