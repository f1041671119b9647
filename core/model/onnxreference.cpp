// SPDX-License-Identifier: GPL-3.0-or-later
#include "onnxreference.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>

namespace metaaug {

namespace {

// Reads raw float32 input, runs the model, writes raw float32 output.
// argv after `node -e SCRIPT`: model input n c h w output.
const char *const kRunner = R"JS(
const fs = require('fs');
const ort = require('onnxruntime-node');
(async () => {
  const [model, input, n, c, h, w, output] = process.argv.slice(1);
  const buf = fs.readFileSync(input);
  const x = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  // One image at a time: a file exported with a fixed batch of 1 runs too.
  const per = Number(c) * Number(h) * Number(w), parts = [];
  let dims = null;
  for (let i = 0; i < Number(n); ++i) {
    const feeds = {};
    feeds[s.inputNames[0]] = new ort.Tensor('float32', x.slice(i * per, (i + 1) * per), [1, Number(c), Number(h), Number(w)]);
    const y = (await s.run(feeds))[s.outputNames[0]];
    parts.push(Buffer.from(y.data.buffer, y.data.byteOffset, y.data.length * 4));
    dims = y.dims.slice();
  }
  dims[0] = Number(n);
  fs.writeFileSync(output, Buffer.concat(parts));
  fs.writeFileSync(output + '.shape', dims.join(','));
})().catch((e) => { console.error(String(e)); process.exit(1); });
)JS";

QString installHint()
{
    return QStringLiteral("run scripts/setup-node.sh (installs npm onnxruntime-node into build/ort) or set METAAUG_ORT_DIR to a folder holding node_modules/onnxruntime-node");
}

}  // namespace

bool isOnnxFile(const QString &path)
{
    return path.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive);
}

QString onnxRuntimeDir(QString *why)
{
    QString dir = qEnvironmentVariable("METAAUG_ORT_DIR");
    if (dir.isEmpty()) {
        const QString exe = QCoreApplication::instance() ? QCoreApplication::applicationDirPath()
                                                         : QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).absolutePath();
        dir = QDir::cleanPath(exe + QStringLiteral("/../ort"));
    }
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/onnxruntime-node/package.json"))) {
        *why = QStringLiteral("ONNX Runtime (npm onnxruntime-node) is not in %1: %2").arg(dir, installHint());
        return {};
    }
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty()) {
        *why = QStringLiteral("Node.js (node) is not on PATH; ONNX Runtime for it is in %1").arg(dir);
        return {};
    }
    return dir;
}

Result<torch::Tensor> onnxRuntimeLogits(const QString &path, const torch::Tensor &input)
{
    QString why;
    const QString dir = onnxRuntimeDir(&why);
    if (dir.isEmpty())
        return makeError(ErrorCode::NotFound, why);
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("no temporary folder for the ONNX Runtime check: %1").arg(tmp.errorString()));
    try {
        const torch::Tensor x = input.to(torch::kFloat32).contiguous();
        QFile in(tmp.filePath(QStringLiteral("in.bin")));
        if (!in.open(QIODevice::WriteOnly) || in.write(static_cast<const char *>(x.data_ptr()), qint64(x.nbytes())) != qint64(x.nbytes()))
            return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write %1: %2").arg(in.fileName(), in.errorString()));
        in.close();
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_PATH"), dir + QStringLiteral("/node_modules"));
        node.setProcessEnvironment(env);
        QStringList args{QStringLiteral("-e"), QString::fromUtf8(kRunner), QFileInfo(path).absoluteFilePath(), in.fileName()};
        for (int64_t d : x.sizes())
            args << QString::number(d);
        args << tmp.filePath(QStringLiteral("out.bin"));
        node.start(QStringLiteral("node"), args);
        if (!node.waitForFinished(300000) || node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0)
            return makeError(ErrorCode::BadFile, QStringLiteral("ONNX Runtime could not run %1: %2")
                                                     .arg(path, QString::fromUtf8(node.readAllStandardError()).trimmed()));
        QFile out(tmp.filePath(QStringLiteral("out.bin"))), shape(tmp.filePath(QStringLiteral("out.bin.shape")));
        if (!out.open(QIODevice::ReadOnly) || !shape.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Internal, QStringLiteral("ONNX Runtime wrote no output for %1").arg(path));
        std::vector<int64_t> dims;
        for (const QByteArray &d : shape.readAll().split(','))
            dims.push_back(d.toLongLong());
        const QByteArray bytes = out.readAll();
        const torch::Tensor y = torch::empty(dims, torch::kFloat32);
        if (qint64(y.nbytes()) != bytes.size())
            return makeError(ErrorCode::Internal, QStringLiteral("ONNX Runtime's output for %1 has %2 bytes, not the %3 of its shape")
                                                      .arg(path).arg(bytes.size()).arg(qint64(y.nbytes())));
        std::memcpy(y.data_ptr(), bytes.constData(), size_t(bytes.size()));
        return y;
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("ONNX Runtime check of %1 failed: %2").arg(path, QString::fromUtf8(e.what())));
    }
}

}  // namespace metaaug
