import { useEffect, useState } from 'react';
import { modelQuality, type ModelQuality } from '../../lib/api/tagging.ts';

/** The family a suggestion's provider and model belong to in the quality report (every local version is one family). */
const familyOf = (q: ModelQuality, provider: string, model: string) => q.provider === provider && (provider === 'local' || q.model === model);

/**
 * How good the models behind the suggestions on a page have been on this database: each one's
 * measured accuracy and kappa against independent human decisions (bulk accepts never count),
 * or "not yet measured" until there are enough. Pass `only` to show just the families named.
 */
export function ModelQualityNote({ only }: { only?: readonly { provider: string; model: string }[] }) {
  const [models, setModels] = useState<ModelQuality[] | null>(null);
  useEffect(() => {
    modelQuality().then((r) => setModels(r.models), () => setModels([]));
  }, []);
  if (!models) return null;
  const shown = only ? models.filter((q) => only.some((o) => familyOf(q, o.provider, o.model))) : models;
  if (shown.length === 0) return only ? null : <p className="muted" data-testid="model-quality">No model has made a suggestion yet: nothing to measure.</p>;
  return (
    <div className="model-quality" data-testid="model-quality">
      {shown.map((q) => (
        <p key={`${q.provider}/${q.model}`} className={q.status === 'not-yet' || q.closeToGuess ? 'model-quality-weak' : undefined}>
          {q.summary}
        </p>
      ))}
    </div>
  );
}
