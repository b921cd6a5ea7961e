/**
 * Counting parts with gloves on: big steppers for good and scrap (typed numbers work too), a
 * scrap reason when there is scrap, an overrun reason when the total would pass the quantity.
 * Counts are deltas ("2 more good"), never totals, so a count is never booked twice.
 */
import { useState } from 'react';
import type { FloorReason } from './floor-api';
import { ReasonGrid } from './ReasonGrid';

export interface Counted {
  good: number;
  scrap: number;
  reason?: string;
}

function Stepper({ label, value, onChange }: { label: string; value: number; onChange: (n: number) => void }) {
  const set = (n: number) => onChange(Math.max(0, Math.min(1_000_000, n)));
  return (
    <div className="fl-stepper" role="group" aria-label={label}>
      <span className="fl-stepper-label">{label}</span>
      <button onClick={() => set(value - 1)} aria-label={`${label} minus one`}>
        −
      </button>
      <input
        inputMode="numeric"
        aria-label={label}
        value={String(value)}
        onChange={(e) => set(Number(e.target.value.replace(/\D/g, '')) || 0)}
      />
      <button onClick={() => set(value + 1)} aria-label={`${label} plus one`}>
        +
      </button>
      <button onClick={() => set(value + 10)} aria-label={`${label} plus ten`}>
        +10
      </button>
    </div>
  );
}

export function QuantityDialog({
  title,
  confirm,
  initialGood,
  done,
  quantity,
  reasons,
  allowZero,
  onCancel,
  onConfirm,
}: {
  title: string;
  confirm: string;
  initialGood: number;
  done: number;
  quantity: number;
  reasons: readonly FloorReason[];
  /** a finish may book no more parts (they were counted along the way) */
  allowZero: boolean;
  onCancel: () => void;
  onConfirm: (c: Counted) => void;
}) {
  const [good, setGood] = useState(initialGood);
  const [scrap, setScrap] = useState(0);
  const [reason, setReason] = useState<string | undefined>();
  const over = done + good + scrap > quantity;
  const needReason = over ? 'overrun' : scrap > 0 ? 'scrap' : null;
  const pick = reasons.filter((r) => r.kind === needReason);
  const reasonOk = !needReason || pick.some((r) => r.code === reason);
  const canConfirm = reasonOk && (allowZero || good + scrap > 0);
  return (
    <div className="fl-dialog" role="dialog" aria-label={title}>
      <h2>{title}</h2>
      <p>
        {done} of {quantity} booked so far.
      </p>
      <Stepper label="Good" value={good} onChange={setGood} />
      <Stepper label="Scrap" value={scrap} onChange={setScrap} />
      {needReason && (
        <>
          <p className={over ? 'fl-error' : 'fl-hint'}>
            {over
              ? `That makes ${done + good + scrap}, more than the ${quantity} ordered: why?`
              : 'Why were parts scrapped?'}
          </p>
          <ReasonGrid reasons={pick} selected={reason} onPick={setReason} />
        </>
      )}
      <div className="fl-dialog-actions">
        <button className="fl-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button
          className="fl-primary"
          disabled={!canConfirm}
          onClick={() => onConfirm({ good, scrap, ...(needReason && reason ? { reason } : {}) })}
        >
          {confirm}
        </button>
      </div>
    </div>
  );
}
