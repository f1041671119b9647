// SPDX-License-Identifier: GPL-3.0-or-later
// Options shared by the commands: --model and preprocessing overrides,
// --threads, whole-number options, and the common parse/help/usage steps.
#pragma once

#include "model/model.h"

#include <QtCore/QCommandLineParser>

#include <optional>

namespace metaaug {
struct ModelCard;
struct RunPreset;
}

namespace metaaug::cli {

void addModelOptions(QCommandLineParser &parser);
void addThreadsOption(QCommandLineParser &parser);
// --db PATH: the run database (default: $METAAUG_DB, else the XDG data folder).
void addDbOption(QCommandLineParser &parser);
QString dbPath(const QCommandLineParser &parser);

// The model path (--model, else the bundled ResNet-20).
QString modelPath(const QCommandLineParser &parser);

// The card to use: the file beside the model, with --input-shape, --mean,
// --std applied on top; without a card, built from those options alone.
// Returns an error message when neither gives a usable spec.
std::optional<ModelCard> resolveCard(const QCommandLineParser &parser, QString *error);

// The model of --model (default: the bundled one) with the card resolveCard()
// gives, loaded with `options` (whose card it sets); errors name the file.
Result<Model> loadModelWithCard(const QCommandLineParser &parser, ModelLoadOptions options = {});

// Applies --threads (the run spec's field: default one per physical core); false with `error` set on a bad value.
bool applyThreads(const QCommandLineParser &parser, QString *error);
// --threads as parsed (parseCommandLine() has refused a bad value already).
int threadCount(const QCommandLineParser &parser);

// Options: a command of options only, with --threads (positional arguments
// refused, --threads applied); Actions: a command with positional actions
// and no --threads (runs, sweep, report).
enum class CommandShape { Options, Actions };
// Parses args and prints --help (and for Options, the rest above). Returns
// the exit code when the command should stop now.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args, CommandShape shape = CommandShape::Options);

// --preset NAME (core's runPresets()): the preset, null when not given;
// false with `error` naming the value and the known ids when unknown.
bool presetOption(const QCommandLineParser &parser, const RunPreset **preset, QString *error);

// Reads --name as a whole number in [lo, hi]; false with `error` naming the
// option and the value otherwise.
bool intOption(const QCommandLineParser &parser, const char *name, qint64 lo, qint64 hi, qint64 *out, QString *error);

}  // namespace metaaug::cli
