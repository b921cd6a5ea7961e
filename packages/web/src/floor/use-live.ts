import { useEffect } from 'react';

/** Live refreshes: floor changes, schedule changes and (for supervisors) notifications. */
export function useLive(token: string | null, onEvent: () => void): void {
  useEffect(() => {
    if (!token) return;
    let ws: WebSocket | undefined;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
      ws = new WebSocket(`${proto}://${window.location.host}/api/v1/ws?access_token=${encodeURIComponent(token)}`);
      ws.onopen = () => ws?.send(JSON.stringify({ subscribe: ['floor', 'schedule', 'notifications'] }));
      ws.onmessage = (m: MessageEvent<string>) => {
        if ((JSON.parse(m.data) as { event?: unknown }).event) onEvent();
      };
      ws.onclose = (e) => {
        if (!closed && e.code !== 4401 && e.code !== 4403) retry = setTimeout(open, 5_000);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [token, onEvent]);
}
