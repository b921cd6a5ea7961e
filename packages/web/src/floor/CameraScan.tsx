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

const FORMATS: Array<'code_128' | 'qr_code'> = ['code_128', 'qr_code'];

// One object for the page's life: zxing-wasm keeps its instantiated module only while the
// overrides are the same functions, and would load the WebAssembly again on every opening.
const ZXING_OVERRIDES = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingWasm : prefix + path),
};

async function makeDetector(): Promise<Detector> {
  const native = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  if (native) return new native({ formats: FORMATS });
  const { BarcodeDetector, prepareZXingModule, purgeZXingModule } = await import('barcode-detector/ponyfill');
  // Loaded now rather than on the first frame: a reader that cannot load would otherwise fail
  // every frame in silence, the operator looking at a live picture that never scans.
  try {
    await prepareZXingModule({ overrides: ZXING_OVERRIDES, fireImmediately: true });
  } catch (err) {
    purgeZXingModule(); // a failed load stays cached otherwise: the next opening tries again
    throw new Error(`the barcode reader did not load (${err instanceof Error ? err.message : String(err)})`);
  }
  return new BarcodeDetector({ formats: FORMATS });
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
        // the reader loads while the operator answers the camera prompt and the camera starts
        const [detector] = await Promise.all([
          makeDetector(),
          navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then((s) => {
            stream = s;
            // closed before the camera came up: the clean-up has run without this stream
            if (stopped) for (const t of s.getTracks()) t.stop();
          }),
        ]);
        const v = video.current;
        if (!v || stopped || !stream) return;
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
