// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI's sub-commands. Each takes the full argument list with the command
// name in place of argv[1] removed (args[0] is "metaaug <command>") and
// returns the process exit code.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

namespace metaaug::store {
struct ArtefactRow;
}

namespace metaaug::cli {

int evalCommand(const QStringList &args);
int benchCommand(const QStringList &args);
int infoCommand(const QStringList &args);
int inspectCommand(const QStringList &args);
int quantizeCommand(const QStringList &args);
int runsCommand(const QStringList &args);
int exportCommand(const QStringList &args);
int soakCommand(const QStringList &args);
int specCommand(const QStringList &args);
int sensitivityCommand(const QStringList &args);
int sweepCommand(const QStringList &args);
int reportCommand(const QStringList &args);

// The export formats of the plugin registry, one per line (and plugins that failed to load).
QString formatList();
// An artefact row as printed by --json: kind, path, size, sha256, created.
QJsonObject artefactJson(const store::ArtefactRow &artefact);

// Exit codes shared by all commands.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Cancelled = 3 };

}  // namespace metaaug::cli
