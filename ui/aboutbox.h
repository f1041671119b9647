// SPDX-License-Identifier: GPL-3.0-or-later
// Help ▸ About: version, licence, the run database and the libraries' versions.
#pragma once

#include <QtCore/QString>

class QWidget;

namespace metaaug::ui {

// Window-modal and non-blocking ("aboutDialog"), deleted on close.
void showAboutBox(QWidget *parent, const QString &dbPath);

}  // namespace metaaug::ui
