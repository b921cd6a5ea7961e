/**
 * Scanning with the tablet's camera: the browser's BarcodeDetector where it exists (Chrome on
 * Android, ChromeOS, macOS), else ZXing compiled to WebAssembly, shipped inside the app (the
 * .wasm is a bundled asset, never fetched from a CDN, so it works offline and behind a firewall).
 */
import { useEffect, useRef, useState } from 'react';
import zxingWasm from 'zxing-wasm/reader/zxing_reader.wasm?url';

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}

const FORMATS = ['code_128', 'qr_code'];

async function makeDetector(): Promise<Detector> {
  const native = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  if (native) return new native({ formats: FORMATS });
  const { BarcodeDetector, prepareZXingModule } = await import('barcode-detector/ponyfill');
  prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingWasm : prefix + path) },
  });
  return new BarcodeDetector({ formats: ['code_128', 'qr_code'] });
}

export function CameraScan({ onScan, onClose }: { onScan: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        const detector = await makeDetector();
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        const v = video.current;
        if (!v || stopped) return;
        v.srcObject = stream;
        await v.play();
        const tick = async () => {
          if (stopped) return;
          try {
            const found = await detector.detect(v);
            const first = found[0];
            if (first?.rawValue) {
              onScan(first.rawValue);
              return;
            }
          } catch {
            // a frame that could not be read: try the next one
          }
          timer = setTimeout(() => void tick(), 200);
        };
        void tick();
      } catch (err) {
        setError(`The camera cannot be used: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [onScan]);

  return (
    <div className="fl-camera" role="dialog" aria-label="Scan with the camera">
      <video ref={video} muted playsInline />
      {error && <p className="fl-error">{error}</p>}
      <button className="fl-primary" onClick={onClose}>
        Close camera
      </button>
    </div>
  );
}
