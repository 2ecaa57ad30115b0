import type { ProviderPreset } from '../../../db/schema/index.ts';

/** What a preset fills in and asks for. */
export interface PresetInfo {
  id: ProviderPreset;
  /** How the UI names it. */
  title: string;
  /** Suggested base URL (an Azure resource endpoint is the user's own). */
  baseUrl: string;
  defaultModel: string;
  /** Whether the server needs a key (local servers do not). */
  needsKey: boolean;
  /** Azure OpenAI: deployment name and api-version instead of a model route. */
  azure: boolean;
  /** A line of help for the form. */
  hint: string;
}

/** The presets, in the order the form offers them. */
export const PRESETS: readonly PresetInfo[] = [
  { id: 'openai', title: 'OpenAI', baseUrl: 'https://api.openai.com/v1', defaultModel: 'gpt-4o-mini', needsKey: true, azure: false, hint: 'An API key from platform.openai.com.' },
  {
    id: 'azure',
    title: 'Azure OpenAI',
    baseUrl: 'https://RESOURCE.openai.azure.com',
    defaultModel: 'gpt-4o-mini',
    needsKey: true,
    azure: true,
    hint: "The resource endpoint, a deployment name and an api-version (e.g. 2024-10-21); the key from the resource's Keys page.",
  },
  { id: 'openrouter', title: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', defaultModel: 'openai/gpt-4o-mini', needsKey: true, azure: false, hint: 'A key from openrouter.ai; model ids look like vendor/model.' },
  { id: 'ollama', title: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', defaultModel: 'llama3.1', needsKey: false, azure: false, hint: 'A local Ollama server; pull the model first (ollama pull NAME).' },
  { id: 'vllm', title: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', defaultModel: 'meta-llama/Llama-3.1-8B-Instruct', needsKey: false, azure: false, hint: 'vllm serve MODEL; structured output through guided decoding.' },
  { id: 'llamacpp', title: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1', defaultModel: 'default', needsKey: false, azure: false, hint: 'llama-server -m MODEL.gguf; it answers with the model it loaded.' },
  { id: 'lmstudio', title: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', defaultModel: 'local-model', needsKey: false, azure: false, hint: "LM Studio's local server (Developer tab)." },
  { id: 'custom', title: 'Other OpenAI-compatible server', baseUrl: 'http://127.0.0.1:8000/v1', defaultModel: 'default', needsKey: false, azure: false, hint: 'Any server that speaks POST /v1/chat/completions.' },
];

/** The preset with this id. */
export const presetInfo = (id: ProviderPreset): PresetInfo => PRESETS.find((p) => p.id === id)!;
