/** Export page. */
export function ExportPage() {
  return <h1>Export</h1>;
}
