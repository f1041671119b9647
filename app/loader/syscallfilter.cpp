// SPDX-License-Identifier: GPL-3.0-or-later
#include "syscallfilter.h"

#include "sandbox/modelloader.h"

#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <QtCore/QStringList>

namespace metaaug::loader {

namespace {

// A call the parse may make once the file is read. Everything else traps.
struct Allowed {
    int call;
    const char *why;
};

// clang-format off
const Allowed kAllowed[] = {
    {SCMP_SYS(read), "reads from the descriptors already open (the request on stdin)"},
    {SCMP_SYS(write), "the reply on stdout, diagnostics on stderr"},
    {SCMP_SYS(writev), "glibc writes its fatal messages (\"free(): invalid pointer\") with writev"},
    {SCMP_SYS(lseek), "stdio positions its streams"},
    {SCMP_SYS(fstat), "stdio inspects stdout and stderr before its first write"},
    {SCMP_SYS(newfstatat), "the same, as glibc 2.33+ spells fstat"},
    {SCMP_SYS(close), "streams and buffers closed on the way out"},
    {SCMP_SYS(munmap), "memory: freeing"},
    {SCMP_SYS(mremap), "memory: growing a large buffer"},
    {SCMP_SYS(brk), "memory: the heap"},
    {SCMP_SYS(madvise), "memory: malloc trims freed pages"},
    {SCMP_SYS(futex), "locks (LibTorch and glibc take them even with one thread)"},
    {SCMP_SYS(clock_gettime), "timers (normally the vDSO; listed for when it is not used)"},
    {SCMP_SYS(gettimeofday), "the same"},
    {SCMP_SYS(getpid), "logging and abort()"},
    {SCMP_SYS(gettid), "logging and abort()"},
    {SCMP_SYS(getcpu), "sched_getcpu in the allocator (normally the vDSO)"},
    {SCMP_SYS(rt_sigaction), "abort() resets the SIGABRT handler"},
    {SCMP_SYS(rt_sigprocmask), "abort() and glibc's critical sections mask signals"},
    {SCMP_SYS(rt_sigreturn), "returning from a signal handler"},
    {SCMP_SYS(sched_yield), "spin locks back off"},
    {SCMP_SYS(sched_getaffinity), "LibTorch and OpenMP ask how many CPUs they may use"},
    {SCMP_SYS(getrandom), "std::random_device and hash seeds"},
    {SCMP_SYS(exit), "the end"},
    {SCMP_SYS(exit_group), "the end"},
};
// clang-format on

// Calls answered with an error instead of a trap: libraries ask for these in
// the ordinary course and cope with a refusal.
struct Refused {
    int call;
    int error;
    const char *why;
};

const Refused kRefused[] = {
    {SCMP_SYS(clone3), ENOSYS, "glibc 2.36 tries clone3 before clone when it starts a thread"},
    {SCMP_SYS(clone), EPERM, "no new threads or processes (the helper is single-threaded)"},
    {SCMP_SYS(openat), EACCES, "no file is opened once the model is read (a lazy library lookup fails softly)"},
    {SCMP_SYS(open), EACCES, "the same, the old call"},
    {SCMP_SYS(ioctl), ENOTTY, "stdio's isatty() checks: not a terminal"},
};

// SIGSYS from the filter: name the call on stderr and end (async-signal-safe).
void onForbiddenCall(int, siginfo_t *info, void *)
{
    char text[96] = "forbidden system call ";
    size_t n = std::strlen(text);
    char digits[16];
    int k = 0;
    unsigned call = unsigned(info->si_syscall);
    do {
        digits[k++] = char('0' + call % 10);
        call /= 10;
    } while (call > 0 && k < 15);
    while (k > 0)
        text[n++] = digits[--k];
    text[n++] = '\n';
    (void)!::write(STDERR_FILENO, text, n);
    ::_exit(sandbox::kLoaderExitForbiddenSyscall);
}

}  // namespace

QString installSyscallFilter()
{
    struct sigaction action {};
    action.sa_sigaction = onForbiddenCall;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (::sigaction(SIGSYS, &action, nullptr) != 0)
        return QStringLiteral("cannot handle SIGSYS: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));

    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
    if (!ctx)
        return QStringLiteral("seccomp_init failed");
    int rc = 0;
    for (const Allowed &a : kAllowed)
        if (rc == 0)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a.call, 0);
    // Memory, but never executable memory: no code can be placed and run.
    const scmp_arg_cmp noExec{2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0};
    if (rc == 0)
        rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, &noExec);
    if (rc == 0)
        rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, &noExec);
    // abort() signals itself; no other process.
    const scmp_arg_cmp self{0, SCMP_CMP_EQ, scmp_datum_t(::getpid()), 0};
    if (rc == 0)
        rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, &self);
    for (const Refused &r : kRefused)
        if (rc == 0)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(r.error), r.call, 0);
    // no_new_privs is set by seccomp_load (SCMP_FLTATR_CTL_NNP defaults on).
    if (rc == 0)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0)
        return QStringLiteral("seccomp: %1").arg(QString::fromLocal8Bit(std::strerror(-rc)));
    return {};
}

QString describeSyscallFilter()
{
    QStringList lines;
    auto name = [](int call) {
        char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
        const QString s = n ? QString::fromLatin1(n) : QString::number(call);
        std::free(n);
        return s;
    };
    for (const Allowed &a : kAllowed)
        lines << QStringLiteral("allow %1: %2").arg(name(a.call), QString::fromUtf8(a.why));
    lines << QStringLiteral("allow mmap, mprotect without PROT_EXEC: memory, but never executable memory")
          << QStringLiteral("allow tgkill of this process only: abort() signals itself");
    for (const Refused &r : kRefused)
        lines << QStringLiteral("refuse %1 with %2: %3").arg(name(r.call), QString::fromLatin1(strerrorname_np(r.error)), QString::fromUtf8(r.why));
    lines << QStringLiteral("anything else: SIGSYS, the helper exits with status %1").arg(sandbox::kLoaderExitForbiddenSyscall);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace metaaug::loader
