// Options shared by every command that loads a model and data:
// --model, --data/--calib, preprocessing overrides, --threads.
#pragma once

#include <QtCore/QCommandLineParser>

#include <optional>

namespace metaaug {
struct ModelCard;
}

namespace metaaug::cli {

void addModelOptions(QCommandLineParser &parser);
void addThreadsOption(QCommandLineParser &parser);

// The model path (--model, else the bundled ResNet-20).
QString modelPath(const QCommandLineParser &parser);

// The card to use: the file beside the model, with --input-shape, --mean,
// --std applied on top; without a card, built from those options alone.
// Returns an error message when neither gives a usable spec.
std::optional<ModelCard> resolveCard(const QCommandLineParser &parser, QString *error);

// Applies --threads (default 1); false with `error` set on a bad value.
bool applyThreads(const QCommandLineParser &parser, QString *error);

}  // namespace metaaug::cli
