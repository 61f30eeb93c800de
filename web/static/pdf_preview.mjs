// The first page of each PDF of evidence, drawn by pdf.js into a canvas: no plug-in, no script of the file runs.
import * as pdfjs from "./vendor/pdfjs/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = new URL("./vendor/pdfjs/pdf.worker.min.mjs", import.meta.url).href;

async function draw(canvas) {
  try {
    const documentProxy = await pdfjs.getDocument({ url: canvas.dataset.pdf, isEvalSupported: false,
                                                    enableXfa: false, withCredentials: true }).promise;
    if (documentProxy.numPages < 1) { throw new Error("no page"); }
    const page = await documentProxy.getPage(1);
    const width = Math.min(canvas.parentElement.clientWidth || 600, 800);
    const scale = width / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale });
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
    canvas.dataset.rendered = "true";
  } catch (error) {
    canvas.hidden = true;
    const note = canvas.nextElementSibling;
    if (note) { note.hidden = false; }
    canvas.dataset.rendered = "failed";
  }
}

document.querySelectorAll("canvas.pdf-preview").forEach(draw);
