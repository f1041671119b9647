// SPDX-License-Identifier: GPL-3.0-or-later
#include "aboutbox.h"

#include "common/versions.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QMessageBox>

namespace metaaug::ui {

void showAboutBox(QWidget *parent, const QString &dbPath)
{
    QString rows;
    for (const auto &[name, version] : libraryVersions())
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    auto *box = new QMessageBox(QMessageBox::Information, QObject::tr("About MetaAug Workbench"),
                                QObject::tr("<h3>MetaAug Workbench %1</h3><p>Post-training quantization of CNNs with MetaAug "
                                   "(ECCV 2024) and baselines (RTN, AdaRound, BRECQ, QDrop, Genie-M).</p>"
                                   "<p>Free software under the GNU General Public License, version 3 or (at your option) "
                                   "any later version; it comes with no warranty. See the LICENSE file.</p>"
                                   "<p>Run database: %2</p><table>%3</table>")
                                    .arg(QApplication::applicationVersion(), dbPath.toHtmlEscaped(), rows),
                                QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

}  // namespace metaaug::ui
