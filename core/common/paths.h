// SPDX-License-Identifier: GPL-3.0-or-later
// Where the programs find their shipped data. The build tree mirrors the
// installed layout: <prefix>/bin/<program> and
// <prefix>/share/metaaug-workbench/{models,...} and
// <prefix>/libexec/metaaug-workbench/, so one rule serves both.
#pragma once

#include <QtCore/QString>

namespace metaaug {

// <prefix>/share/metaaug-workbench, or $METAAUG_SHARE_DIR when set.
QString shareDir();

// Folder of the bundled models: $METAAUG_MODELS_DIR, else shareDir()/models.
QString modelsDir();

// Folder holding Debian's Fashion-MNIST IDX files:
// $METAAUG_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist.
QString fashionMnistDir();

// The bundled default model (ResNet-20 on Fashion-MNIST).
QString defaultModelPath();

// The model loader helper (core/sandbox): $METAAUG_LOADER, else
// <prefix>/libexec/metaaug-workbench/metaaug-loader.
QString loaderProgram();

}  // namespace metaaug
