import type { EvalResult } from '../../lib/api/evals.ts';

/** Gold (rows) against predicted (columns) counts; cell shade is the share of the gold row. */
export function ConfusionMatrix({ confusion }: { confusion: EvalResult['label']['confusion'] }) {
  const { labels, matrix, unanswered } = confusion;
  return (
    <table className="evals-confusion" aria-label="Confusion matrix">
      <thead>
        <tr>
          <th scope="col">gold \ predicted</th>
          {labels.map((l) => (
            <th key={l} scope="col">
              {l}
            </th>
          ))}
          <th scope="col">no answer</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((gold, g) => {
          const row = matrix[g]!;
          const total = row.reduce((s, x) => s + x, 0) + unanswered[g]!;
          return (
            <tr key={gold}>
              <th scope="row">{gold}</th>
              {row.map((n, p) => (
                <td key={labels[p]} className={g === p ? 'diagonal' : undefined} style={{ backgroundColor: `rgba(59, 91, 219, ${total === 0 ? 0 : (0.6 * n) / total})` }} title={`gold ${gold}, predicted ${labels[p]}: ${n}`}>
                  {n}
                </td>
              ))}
              <td className="muted">{unanswered[g]}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
