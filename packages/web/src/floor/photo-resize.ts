/**
 * Camera photos are resized on the tablet before they are sent (longest side 1600 px, JPEG):
 * a phone photo of 4-12 MB becomes ~200-400 kB, which a shop Wi-Fi and the server's 2 MB limit
 * take, and which still shows a weld defect.
 */
export const MAX_SIDE = 1600;

export async function resizePhoto(file: Blob): Promise<{ contentType: 'image/jpeg'; data: string }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the photo could not be encoded'))), 'image/jpeg', 0.82),
  );
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { contentType: 'image/jpeg', data: btoa(binary) };
}
