/**
 * How the UI, the CLI and the API name who proposed something, from the provider and model
 * every suggestion and run records: the local baseline is never presented as an LLM. Free of
 * imports, so the web client builds the same words.
 */
export function providerLabel(provider: string, model: string): string {
  return provider === 'local' ? `local baseline (${model})` : `${model} (OpenAI-compatible)`;
}
