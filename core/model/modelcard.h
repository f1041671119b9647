// SPDX-License-Identifier: GPL-3.0-or-later
// The model card: a JSON file beside a model (same base name, .json) that
// says how to feed it (input shape, mean/std), its classes and its FP
// accuracy, and how it was trained.
#pragma once

#include "common/result.h"
#include "data/preprocessspec.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <optional>

namespace metaaug {

struct ModelCard {
    QString name;
    QString path;            // where the card was read from (empty if none)
    PreprocessSpec preprocess;
    QStringList classNames;
    double fpTestTop1 = -1;  // percent, -1 when unknown
    // "hflip": a mirrored image keeps its class (clothes yes, digits and
    // text no); only augmentations use it. Default false.
    bool horizontalFlip = false;
    QJsonObject json;        // the whole card, for display and the run spec

    // Parses card JSON; `what` names the source in messages.
    static Result<ModelCard> fromJson(const QByteArray &bytes, const QString &what);
    static Result<ModelCard> load(const QString &cardPath);

    // The card as values, as a run spec records it: the card's keys with the
    // preprocessing actually used (overrides such as --input-shape applied),
    // "preset" when it came from a card preset and "source" (the file or
    // preset it was read from) for the record. A rerun reads these values,
    // never the file, which may have changed or vanished.
    QJsonObject toRecord() const;
    // Reads toRecord()'s object (or a card object written by hand).
    static Result<ModelCard> fromRecord(const QJsonObject &record, const QString &what);
};

// <dir>/<basename>.json for <dir>/<basename>.pt
QString cardPathFor(const QString &modelPath);

// `override` when given, else the card beside the model; a missing card is
// an error that says how to provide one.
Result<ModelCard> cardForModel(const QString &modelPath, const std::optional<ModelCard> &override);

}  // namespace metaaug
