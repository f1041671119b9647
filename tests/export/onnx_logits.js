// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node) on a raw float32
// batch and writes the raw float32 output. Usage:
//   node onnx_logits.js MODEL.onnx INPUT.bin N C H W OUTPUT.bin
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, n, c, h, w, output] = process.argv.slice(2);
  const buf = fs.readFileSync(input);
  const x = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor('float32', x, [Number(n), Number(c), Number(h), Number(w)]);
  const out = await session.run(feeds);
  const y = out[session.outputNames[0]].data;
  fs.writeFileSync(output, Buffer.from(y.buffer, y.byteOffset, y.length * 4));
}

main().catch((e) => { console.error(String(e)); process.exit(1); });
