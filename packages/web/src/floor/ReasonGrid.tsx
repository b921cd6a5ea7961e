/**
 * Reason codes as big tiles; a tree (downtime: Mechanical -> Hydraulics) shows a parent's
 * children once it is tapped, and either level may be picked.
 */
import { useState } from 'react';
import type { FloorReason } from './floor-api';

export function ReasonGrid({
  reasons,
  selected,
  onPick,
}: {
  reasons: readonly FloorReason[];
  selected: string | undefined;
  onPick: (code: string) => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const top = reasons.filter((r) => !r.parentCode || !reasons.some((p) => p.code === r.parentCode));
  const children = (code: string) => reasons.filter((r) => r.parentCode === code);
  return (
    <div className="fl-reasons">
      {top.map((r) => (
        <div key={r.code} className="fl-reason-group">
          <button
            className={`fl-tile${selected === r.code ? ' fl-picked' : ''}`}
            aria-pressed={selected === r.code}
            onClick={() => {
              onPick(r.code);
              setOpen(children(r.code).length ? r.code : null);
            }}
          >
            {r.label}
          </button>
          {open === r.code &&
            children(r.code).map((c) => (
              <button
                key={c.code}
                className={`fl-tile fl-child${selected === c.code ? ' fl-picked' : ''}`}
                aria-pressed={selected === c.code}
                onClick={() => onPick(c.code)}
              >
                {c.label}
              </button>
            ))}
        </div>
      ))}
    </div>
  );
}
