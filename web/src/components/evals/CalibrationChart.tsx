import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalResult } from '../../lib/api/evals.ts';
import { fmt } from './format.ts';

/**
 * Reliability diagram: per confidence bin, the share of answers that were right (bars) next to
 * the mean stated confidence (line); a calibrated model's bars reach its line.
 */
export function CalibrationChart({ calibration }: { calibration: EvalResult['calibration'] }) {
  const data = calibration.bins.map((b) => ({
    bin: `${b.low.toFixed(1)}–${b.high.toFixed(1)}`,
    accuracy: b.count > 0 ? b.accuracy : null,
    confidence: b.count > 0 ? b.meanConfidence : null,
    answers: b.count,
  }));
  return (
    <figure className="evals-calibration" aria-label="Calibration chart">
      <ComposedChart width={640} height={280} data={data} margin={{ left: 10, right: 20, top: 10, bottom: 10 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="bin" tick={{ fontSize: 11 }} label={{ value: 'stated confidence', position: 'insideBottom', offset: -5 }} />
        <YAxis domain={[0, 1]} />
        <Tooltip formatter={(value: unknown) => (typeof value === 'number' ? fmt(value) : String(value))} />
        <Legend verticalAlign="top" />
        <Bar dataKey="accuracy" name="accuracy" fill="#3b5bdb" isAnimationActive={false} />
        <Line dataKey="confidence" name="mean confidence" stroke="#e8590c" connectNulls={false} isAnimationActive={false} />
      </ComposedChart>
      <figcaption className="muted">
        Expected calibration error {fmt(calibration.ece)} over {calibration.n} answers with a confidence.
      </figcaption>
    </figure>
  );
}
