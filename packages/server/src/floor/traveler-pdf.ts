import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';

/** One routing step as printed: what the operator reads and the code the scanner reads. */
export interface TravelerOperation {
  sequence: number;
  operationCode: string;
  /** the work center of its schedule slot, else the preferred one, else the machine type */
  workCenter: string;
  setupMinutes: number;
  runMinutes: number;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  notes: string | null;
  /** `OP-...` code of @kerf/floor-codes carrying the step id and its routing revision */
  code: string;
}

export interface TravelerPart {
  partNumber: string;
  revision: string;
  quantity: number;
  materialCode: string;
  /** inches, as parts are stored */
  thickness: number;
}

export interface TravelerJob {
  jobNumber: string;
  /** `JOB-...` code, or null when the job number cannot be a barcode (then the reason is printed) */
  jobCode: string | null;
  jobCodeProblem: string | null;
  customer: string | null;
  product: string;
  quantity: number;
  dueDate: Date;
  priority: number;
  status: string;
  notes: string | null;
  parts: TravelerPart[];
  operations: TravelerOperation[];
}

export interface TravelerOptions {
  /** IANA zone of the shop: every time on paper is the shop's wall clock */
  timeZone: string;
  printedAt: Date;
}

// src/floor/ under tests and dist/floor/ at run time both sit two levels below the package root.
const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));
let fontCache: { regular: Buffer; bold: Buffer } | undefined;
function fonts() {
  fontCache ??= {
    regular: readFileSync(`${FONT_DIR}DejaVuSans.ttf`),
    bold: readFileSync(`${FONT_DIR}DejaVuSans-Bold.ttf`),
  };
  return fontCache;
}

const PAGE = { width: 612, height: 792, margin: 36 }; // US Letter in points
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const FOOTER_HEIGHT = 24;
/** Width of one bar module on paper: 1 pt = 0.35 mm, comfortably read by a phone camera at 20-30 cm. */
const MODULE_PT = 1;
const MIN_MODULE_PT = 0.6;
/**
 * PNG pixels per module. One: the image is the exact bar pattern and the PDF scales it to
 * MODULE_PT without smoothing, so nothing is lost, and an RGBA PNG of 3 px per module took 40 ms
 * per code to make and embed (a 50-job batch 8.6 s and 3 MB) against 8 ms at 1 px.
 */
const PNG_SCALE = 1;
/** Quiet zone either side, in modules: Code 128 needs 10; more forgives a careless crop or a hand. */
const QUIET_MODULES = 12;
const BAR_HEIGHT_MM = 10;

interface Barcode {
  png: Buffer;
  /** size in modules (1 bwip-js unit = 1 module), quiet zone included */
  modules: number;
  heightUnits: number;
}

async function barcode(text: string): Promise<Barcode> {
  const png = await bwipjs.toBuffer({
    bcid: 'code128',
    text,
    scale: PNG_SCALE,
    height: BAR_HEIGHT_MM,
    includetext: false,
    // bwip-js draws on a transparent background by default, which decoders read as black.
    backgroundcolor: 'FFFFFF',
    paddingwidth: QUIET_MODULES,
    paddingheight: 3,
  });
  // PNG IHDR: width and height are the big-endian words at bytes 16 and 20.
  return { png, modules: png.readUInt32BE(16) / PNG_SCALE, heightUnits: png.readUInt32BE(20) / PNG_SCALE };
}

function shopTime(d: Date | null, timeZone: string): string {
  if (!d) return '-';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const minutes = (m: number) => `${Math.round(m * 10) / 10} min`;

type Doc = PDFKit.PDFDocument;

/** Places a barcode with its text under it at (x, y); answers the height used. */
function drawBarcode(doc: Doc, b: Barcode, text: string, x: number, y: number, maxWidth: number): number {
  const modulePt = Math.max(MIN_MODULE_PT, Math.min(MODULE_PT, maxWidth / b.modules));
  const width = b.modules * modulePt;
  const height = b.heightUnits * modulePt;
  doc.image(b.png, x, y, { width, height });
  doc
    .font('regular')
    .fontSize(8)
    .fillColor('#000')
    .text(text, x, y + height + 1, { width, align: 'center', lineBreak: false });
  return height + 11;
}

const COLS = [
  { label: 'Seq', width: 30 },
  { label: 'Operation', width: 120 },
  { label: 'Work center', width: 110 },
  { label: 'Setup', width: 48 },
  { label: 'Run', width: 52 },
  { label: 'Planned start', width: 90 },
  { label: 'Planned end', width: 90 },
];

function tableHeader(doc: Doc, y: number): number {
  doc.font('bold').fontSize(8.5).fillColor('#000');
  let x = PAGE.margin;
  for (const c of COLS) {
    doc.text(c.label, x, y, { width: c.width - 4, lineBreak: false });
    x += c.width;
  }
  doc
    .moveTo(PAGE.margin, y + 13)
    .lineTo(PAGE.width - PAGE.margin, y + 13)
    .lineWidth(1)
    .stroke();
  return y + 18;
}

function header(doc: Doc, job: TravelerJob, jobBarcode: Barcode | null, opts: TravelerOptions): number {
  const top = PAGE.margin;
  doc.font('regular').fontSize(9).fillColor('#444').text('JOB TRAVELER', PAGE.margin, top);
  doc
    .font('bold')
    .fontSize(22)
    .fillColor('#000')
    .text(job.jobNumber, PAGE.margin, top + 12, { width: 300 });
  let codeBottom = top;
  const codeWidth = 250;
  const codeX = PAGE.width - PAGE.margin - codeWidth;
  if (jobBarcode && job.jobCode) {
    codeBottom = top + drawBarcode(doc, jobBarcode, job.jobCode, codeX, top, codeWidth);
  } else if (job.jobCodeProblem) {
    doc.font('regular').fontSize(8).text(`No job barcode: ${job.jobCodeProblem}`, codeX, top, { width: codeWidth });
    codeBottom = doc.y;
  }
  let y = Math.max(top + 44, codeBottom + 4);
  const field = (label: string, value: string, x: number, width: number, at: number) => {
    doc.font('bold').fontSize(8).fillColor('#444').text(label.toUpperCase(), x, at, { width });
    doc
      .font('regular')
      .fontSize(10.5)
      .fillColor('#000')
      .text(value, x, at + 10, { width });
    return doc.y;
  };
  const half = CONTENT_WIDTH / 2 - 6;
  const right = PAGE.margin + CONTENT_WIDTH / 2 + 6;
  y =
    Math.max(
      field('Customer', job.customer ?? '-', PAGE.margin, half, y),
      field('Due (shop time)', shopTime(job.dueDate, opts.timeZone), right, half / 2, y),
      field('Priority', String(job.priority), right + half / 2, half / 2, y),
    ) + 6;
  y =
    Math.max(
      field('Description', job.product, PAGE.margin, half, y),
      field('Quantity', String(job.quantity), right, half / 2, y),
      field('Status', job.status, right + half / 2, half / 2, y),
    ) + 6;
  const partLines = job.parts.length
    ? job.parts.map(
        (p) => `${p.partNumber} rev ${p.revision} - qty ${p.quantity} - ${p.materialCode}, ${p.thickness} in`,
      )
    : ['-'];
  y = field('Part, revision, material and thickness', partLines.join('\n'), PAGE.margin, CONTENT_WIDTH, y) + 6;
  if (job.notes) y = field('Notes', job.notes, PAGE.margin, CONTENT_WIDTH, y) + 6;
  doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.width - PAGE.margin, y)
    .lineWidth(1.5)
    .stroke();
  return y + 8;
}

function operationText(op: TravelerOperation, timeZone: string): string[] {
  return [
    String(op.sequence),
    op.operationCode,
    op.workCenter,
    minutes(op.setupMinutes),
    minutes(op.runMinutes),
    shopTime(op.plannedStart, timeZone),
    shopTime(op.plannedEnd, timeZone),
  ];
}

function drawOperation(doc: Doc, op: TravelerOperation, b: Barcode, y: number, timeZone: string): number {
  doc.font('regular').fontSize(9.5).fillColor('#000');
  let x = PAGE.margin;
  let textBottom = y;
  operationText(op, timeZone).forEach((value, i) => {
    const width = COLS[i]!.width - 4;
    doc.font(i <= 1 ? 'bold' : 'regular').text(value, x, y, { width });
    textBottom = Math.max(textBottom, doc.y);
    x += COLS[i]!.width;
  });
  if (op.notes) {
    doc
      .font('regular')
      .fontSize(8.5)
      .text(op.notes, PAGE.margin + COLS[0]!.width, textBottom + 1, { width: CONTENT_WIDTH - COLS[0]!.width });
    textBottom = doc.y;
  }
  const used = drawBarcode(doc, b, op.code, PAGE.margin + COLS[0]!.width, textBottom + 3, CONTENT_WIDTH - 40);
  const bottom = textBottom + 3 + used + 4;
  doc
    .moveTo(PAGE.margin, bottom)
    .lineTo(PAGE.width - PAGE.margin, bottom)
    .lineWidth(0.5)
    .strokeColor('#888')
    .stroke()
    .strokeColor('#000');
  return bottom + 6;
}

/** Height an operation row will take, to break the page before it rather than through it. */
function operationHeight(doc: Doc, op: TravelerOperation, b: Barcode, timeZone: string): number {
  doc.font('bold').fontSize(9.5);
  const text = Math.max(
    ...operationText(op, timeZone).map((v, i) => doc.heightOfString(v, { width: COLS[i]!.width - 4 })),
  );
  doc.font('regular').fontSize(8.5);
  const notes = op.notes ? doc.heightOfString(op.notes, { width: CONTENT_WIDTH - COLS[0]!.width }) + 1 : 0;
  const modulePt = Math.max(MIN_MODULE_PT, Math.min(MODULE_PT, (CONTENT_WIDTH - 40) / b.modules));
  return text + notes + 3 + b.heightUnits * modulePt + 11 + 10;
}

/**
 * Job travelers as one PDF: each job starts on a new page with its header and job code, then one
 * row per routing step with the step's barcode. Fonts are embedded (subset), so names such as
 * Łódź or Žilina print as typed. Pages carry "page n of m" of their own job.
 */
export async function renderTravelers(jobs: TravelerJob[], opts: TravelerOptions): Promise<Buffer> {
  const codes = await Promise.all(
    jobs.map(async (j) => ({
      job: j.jobCode ? await barcode(j.jobCode) : null,
      ops: await Promise.all(j.operations.map((o) => barcode(o.code))),
    })),
  );
  const f = fonts();
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    autoFirstPage: false,
    bufferPages: true,
    info: { Title: `Job travelers: ${jobs.map((j) => j.jobNumber).join(', ')}`.slice(0, 500), Creator: 'Kerf' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);

  const pageBottom = PAGE.height - PAGE.margin - FOOTER_HEIGHT;
  const pagesOfJob: Array<{ job: TravelerJob; first: number; count: number }> = [];
  jobs.forEach((job, j) => {
    doc.addPage();
    const first = doc.bufferedPageRange().count - 1;
    let y = tableHeader(doc, header(doc, job, codes[j]!.job, opts));
    if (job.operations.length === 0) {
      doc.font('regular').fontSize(10).text('This job has no routing steps.', PAGE.margin, y);
    }
    job.operations.forEach((op, i) => {
      const b = codes[j]!.ops[i]!;
      if (y + operationHeight(doc, op, b, opts.timeZone) > pageBottom) {
        doc.addPage();
        doc.font('bold').fontSize(11).text(`${job.jobNumber} (continued)`, PAGE.margin, PAGE.margin);
        y = tableHeader(doc, PAGE.margin + 20);
      }
      y = drawOperation(doc, op, b, y, opts.timeZone);
    });
    pagesOfJob.push({ job, first, count: doc.bufferedPageRange().count - first });
  });

  const printed = `${shopTime(opts.printedAt, opts.timeZone)} ${opts.timeZone}`;
  for (const { job, first, count } of pagesOfJob) {
    for (let p = 0; p < count; p++) {
      doc.switchToPage(first + p);
      // Below the bottom margin pdfkit would start a new page for the footer text.
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font('regular')
        .fontSize(8)
        .fillColor('#444')
        .text(
          `Job ${job.jobNumber} · printed ${printed} · page ${p + 1} of ${count} · times are shop time`,
          PAGE.margin,
          PAGE.height - PAGE.margin - 10,
          { width: CONTENT_WIDTH, lineBreak: false },
        );
      doc.page.margins.bottom = margin;
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
