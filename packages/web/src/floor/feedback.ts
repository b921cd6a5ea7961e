/**
 * A sound and a vibration on every scan and every answer, so an operator wearing gloves and
 * ear protection, looking at the part and not the screen, knows it took (or did not).
 */
let audio: AudioContext | undefined;

function tone(freq: number, ms: number): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000);
  } catch {
    // no audio output: the vibration and the screen still say it
  }
}

export function good(): void {
  tone(1200, 90);
  navigator.vibrate?.(60);
}

export function bad(): void {
  tone(300, 350);
  navigator.vibrate?.([120, 80, 120]);
}
