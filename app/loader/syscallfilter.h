// SPDX-License-Identifier: GPL-3.0-or-later
// The model loader's system-call allow-list (seccomp, through libseccomp).
// Installed after the model file has been read and every library the parse
// needs has been loaded and warmed up: from then on the process can compute,
// allocate memory and write to the descriptors it holds, and nothing else.
// The list, with why each call is there, is in syscallfilter.cpp and
// docs/sandbox.md.
#pragma once

#include <QtCore/QString>

namespace metaaug::loader {

// Installs the filter on this process (and no_new_privs). A call outside
// the list ends the process with sandbox::kLoaderExitForbiddenSyscall after
// writing "forbidden system call N (name)" to stderr. Returns why the filter
// could not be installed, or an empty string.
QString installSyscallFilter();

// The list, one line per call with why (`metaaug-loader --list-syscalls`).
QString describeSyscallFilter();

}  // namespace metaaug::loader
