// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header of every target that uses the engine. LibTorch must come
// before any Qt header: Qt's `slots` macro breaks LibTorch's headers.
#pragma once
#include <torch/torch.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QFileInfo>
#include <QtCore/QDir>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>
