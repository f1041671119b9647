// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a model file someone else wrote, in a separate restricted process
// (docs/sandbox.md). The TorchScript and ONNX parsers are large and trust
// their input in places; a crafted file that crashes or takes them over
// then costs an error message, not the program and what the user had open.
//
// The helper, `metaaug-loader` (app/loader), takes one request:
//   metaaug-loader graph [--keep-batchnorm] FILE   -> a Graph reply
//   metaaug-loader reference FILE < Tensor         -> a Tensor reply (logits)
// and answers on its stdout in the format of graphwire.h. It runs under the
// limits of loaderlimits.h, single-threaded, with a system-call filter.
#pragma once

#include "common/result.h"
#include "graph/graph.h"
#include "graph/torchscriptimporter.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>

namespace metaaug::sandbox {

// The helper's exit status when it was refused a system call (its SIGSYS
// handler names the call on stderr), and on a bad command line.
constexpr int kLoaderExitForbiddenSyscall = 4;
constexpr int kLoaderExitUsage = 2;

enum class LoadIsolation {
    Helper,     // the default, for every file a user opens
    InProcess,  // tests of the importers themselves and the fuzz build
};

// Where Model::load parses files in this process: Helper unless a test of
// the importers, a benchmark or the fuzz build chose InProcess.
void setDefaultIsolation(LoadIsolation isolation);
LoadIsolation defaultIsolation();

// The graph of the model file at `path`: the importer for its suffix (a
// plugin's, else TorchScript) run in the helper or in this process. Errors
// name the file; a helper that crashes, hits a limit, times out or replies
// with something malformed gives BadFile "model file F could not be parsed
// safely: the parser crashed (signal 11, SIGSEGV)" (or "exceeded its memory
// limit of N MB", "took over N s", ...).
Result<graph::Graph> importModelFile(const QString &path, const graph::ImportOptions &options, LoadIsolation isolation);
inline Result<graph::Graph> importModelFile(const QString &path, const graph::ImportOptions &options)
{
    return importModelFile(path, options, defaultIsolation());
}

class LoaderRun;

// A parse started in the helper and collected later, so that the caller does
// its own work meanwhile (Model::load hashes the file while the helper,
// which takes 0.4 s just to start, parses it). Destroyed uncollected, it
// stops the helper.
class PendingImport {
public:
    PendingImport(const QString &path, const graph::ImportOptions &options);
    ~PendingImport();
    PendingImport(const PendingImport &) = delete;
    PendingImport &operator=(const PendingImport &) = delete;
    // Waits for the reply; call once. Errors as importModelFile's.
    Result<graph::Graph> result();

private:
    std::unique_ptr<LoaderRun> m_run;
};

// The importer for `path`'s suffix on bytes already read (the helper's side).
Result<graph::Graph> importModelBytes(const QByteArray &bytes, const QString &path, const graph::ImportOptions &options);

// The TorchScript interpreter's output for `input` (a batch), computed in
// the helper: the reference `metaaug info --verify` checks the engine against.
Result<torch::Tensor> referenceLogits(const QString &path, const torch::Tensor &input);

}  // namespace metaaug::sandbox
