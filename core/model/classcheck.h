// SPDX-License-Identifier: GPL-3.0-or-later
// Whether labelled data can be scored against a model's outputs: a folder
// with more classes than the model has outputs, folder names that are not
// the card's class names, or a small labelled set scored as the first
// outputs of a model with many and no class names, all give a top-1 that
// means nothing. Said before a run (plan), in the data panel and by eval.
// No LibTorch here (the GUI calls it).
#pragma once

#include <QtCore/QStringList>

namespace metaaug {

struct ClassCheckInput {
    QString source;            // the data source, for the message
    QStringList dataClasses;   // label index -> name (folder names, Fashion-MNIST's names)
    bool labelled = false;
    int modelOutputs = 0;      // the logits' width
    QStringList cardClasses;   // the card's class names; empty when it has none
};

// One sentence per problem found; empty when the labels can be the model's.
QStringList classMismatchWarnings(const ClassCheckInput &in);

}  // namespace metaaug
