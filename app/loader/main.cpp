// SPDX-License-Identifier: GPL-3.0-or-later
// metaaug-loader: parses one model file in a restricted process and writes
// the result to stdout (core/sandbox/modelloader.h has the contract,
// docs/sandbox.md the design). Not meant to be run by hand, but it can be:
//   metaaug-loader graph [--keep-batchnorm] -- FILE > graph.bin
//   metaaug-loader reference -- FILE < input.bin > logits.bin
//   metaaug-loader --list-syscalls
#include "syscallfilter.h"

#include "common/runtime.h"
#include "graph/scriptarchive.h"
#include "plugin/pluginregistry.h"
#include "sandbox/graphwire.h"
#include "sandbox/modelloader.h"

#include <torch/script.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

using namespace metaaug;

namespace {

// Allocation failures under the address-space limit, however the library
// that hit it words them.
bool isMemoryFailure(const QString &message)
{
    for (const char *m : {"bad_alloc", "not enough memory", "can't allocate", "Cannot allocate memory"})
        if (message.contains(QLatin1String(m)))
            return true;
    return false;
}

// Runs the ops a parse and a reference forward use once, before the filter:
// LibTorch, OpenBLAS and cpuinfo read /proc and /sys on first use.
void warmUp()
{
    torch::NoGradGuard ng;
    const torch::Tensor x = torch::rand({1, 3, 8, 8});
    torch::Tensor y = torch::conv2d(x, torch::rand({4, 3, 3, 3}), torch::rand({4}), 1, 1);
    y = torch::max_pool2d(torch::relu(y), 2);
    y = torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1);
    y = torch::linear(y, torch::rand({2, 4}), torch::rand({2}));
    (void)torch::softmax(y, 1).sum().item<float>();
    torch::jit::compile("def f(x):\n    return x + 1\n")->get_function("f")({x});
}

Error refusal(const Error &e)
{
    return isMemoryFailure(e.message) ? makeError(ErrorCode::OutOfResources, e.message) : e;
}

int graphReply(sandbox::WireWriter &out, const QByteArray &bytes, const QString &path, const graph::ImportOptions &options)
{
    auto g = sandbox::importModelBytes(bytes, path, options);
    if (!g) {
        sandbox::writeErrorReply(out, refusal(g.error()));
        return 0;
    }
    if (const QString why = sandbox::writeGraphReply(out, *g); !why.isEmpty())
        sandbox::writeErrorReply(out, makeError(ErrorCode::Unsupported, QStringLiteral("model %1: %2").arg(path, why)));
    return 0;
}

int referenceReply(sandbox::WireWriter &out, const QByteArray &bytes, const QString &path, const QByteArray &request)
{
    sandbox::BytesSource in(request);
    auto input = sandbox::readTensorReply(in);
    if (!input) {
        sandbox::writeErrorReply(out, input.error());
        return 0;
    }
    auto module = graph::loadScriptArchiveBytes(bytes, path);
    if (!module) {
        sandbox::writeErrorReply(out, refusal(module.error()));
        return 0;
    }
    torch::NoGradGuard ng;
    const c10::IValue result = module->forward({*input});
    if (!result.isTensor()) {
        sandbox::writeErrorReply(out, makeError(ErrorCode::Unsupported, QStringLiteral("model %1 does not return a tensor").arg(path)));
        return 0;
    }
    sandbox::writeTensorReply(out, result.toTensor());
    return 0;
}

// Test hooks (tests/core/sandbox/tst_modelloader): each way a parser can go
// wrong, on demand, under the filter and the limits.
void misbehaveForTests(const QByteArray &hook, sandbox::WireWriter &out)
{
    if (hook == "spin") {
        for (volatile uint64_t i = 0;; i = i + 1) {
        }
    } else if (hook == "syscall") {
        (void)::socket(AF_INET, SOCK_STREAM, 0);
    } else if (hook == "fds") {
        // Any descriptor past stderr still open? (A zero-byte write tells,
        // and write is what a parser taken over could do with it.)
        for (int fd = 3; fd < 1024; ++fd)
            if (::write(fd, "", 0) == 0) {
                std::fprintf(stderr, "descriptor %d is open\n", fd);
                std::fflush(stderr);
                ::_exit(5);
            }
    } else if (hook == "crash") {
        ::raise(SIGSEGV);
    } else if (hook == "hang") {
        static int word = 0;
        for (;;)
            ::syscall(SYS_futex, &word, FUTEX_WAIT, 0, nullptr, nullptr, 0);
    } else if (hook == "garbage") {
        out.header(sandbox::ReplyKind::Graph);
        out.u32(3);
        out.i64(7);  // an output id past the 3 values
        out.end();
        std::fflush(stderr);
        ::_exit(0);
    }
}

}  // namespace

int main(int argc, char **argv)
{
    // Descriptors the program did not mark close-on-exec (a database, a
    // cache file) must not reach the parser: writing is allowed under the
    // filter. Only stdin, stdout and stderr stay.
    ::close_range(3, ~0U, 0);
    const struct rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("graph or reference"));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("the model file"));
    parser.addOption({QStringLiteral("keep-batchnorm"), QStringLiteral("Do not fold BatchNorm into the conv before it.")});
    parser.addOption({QStringLiteral("list-syscalls"), QStringLiteral("Print the system calls the filter allows, with why.")});
    if (!parser.parse(args)) {
        std::fprintf(stderr, "metaaug-loader: %s\n", qPrintable(parser.errorText()));
        return sandbox::kLoaderExitUsage;
    }
    if (parser.isSet(QStringLiteral("list-syscalls"))) {
        std::printf("%s\n", qPrintable(loader::describeSyscallFilter()));
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || (positional[0] != QLatin1String("graph") && positional[0] != QLatin1String("reference"))) {
        std::fprintf(stderr, "usage: metaaug-loader graph|reference [--keep-batchnorm] -- FILE\n");
        return sandbox::kLoaderExitUsage;
    }
    const QString mode = positional[0], path = positional[1];
    sandbox::WireWriter out(STDOUT_FILENO);

    // Everything that needs the file system happens before the filter: one
    // thread, the plugins loaded, the libraries warmed up, the file and the
    // request read.
    RuntimeOptions runtime;
    runtime.threads = 1;
    configureRuntime(runtime);
    at::set_num_interop_threads(1);
    // oneDNN generates machine code at run time, which the filter forbids
    // (no executable memory); LibTorch's own kernels serve instead.
    at::globalContext().setUserEnabledMkldnn(false);
    (void)exporting::PluginRegistry::instance();
    warmUp();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        sandbox::writeErrorReply(out, makeError(ErrorCode::NotFound, QStringLiteral("cannot read model file %1: %2").arg(path, file.errorString())));
        return 0;
    }
    const QByteArray bytes = file.readAll();
    file.close();
    QByteArray request;
    if (mode == QLatin1String("reference")) {
        QFile in;
        if (in.open(stdin, QIODevice::ReadOnly))
            request = in.readAll();
    }
    // A 1 MiB pipe: the weights stream out in fewer, larger writes.
    (void)::fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
    const QByteArray hook = qgetenv("METAAUG_LOADER_TEST");
    if (const QString why = loader::installSyscallFilter(); !why.isEmpty()) {
        sandbox::writeErrorReply(out, makeError(ErrorCode::Internal, QStringLiteral("the model loader could not restrict itself: %1").arg(why)));
        return 1;
    }

    misbehaveForTests(hook, out);
    int status = 0;
    try {
        graph::ImportOptions options;
        options.foldBatchNorm = !parser.isSet(QStringLiteral("keep-batchnorm"));
        status = mode == QLatin1String("graph") ? graphReply(out, bytes, path, options) : referenceReply(out, bytes, path, request);
    } catch (const std::exception &e) {
        const QString what = exceptionSummary(e);
        sandbox::writeErrorReply(out, refusal(makeError(ErrorCode::BadFile, QStringLiteral("model file %1: %2").arg(path, what))));
    }
    out.flush();
    // No static destructors: LibTorch's may need calls the filter refuses.
    std::fflush(stderr);
    ::_exit(status);
}
