// SPDX-License-Identifier: GPL-3.0-or-later
#include "datapanel.h"

#include "model/datasummary.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
QImage toImage(const cv::Mat &m)
{
    const QImage::Format f = m.channels() == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    return QImage(m.data, m.cols, m.rows, int(m.step), f).copy();
}
}  // namespace

DataPanel::DataPanel(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_calib = new QLabel(tr("No calibration data."), this);
    m_calib->setObjectName(QStringLiteral("calibrationInfo"));
    m_calib->setWordWrap(true);
    m_eval = new QLabel(this);
    m_eval->setObjectName(QStringLiteral("evaluationInfo"));
    m_eval->setWordWrap(true);
    m_thumbs = new QListWidget(this);
    m_thumbs->setObjectName(QStringLiteral("thumbnails"));
    m_thumbs->setViewMode(QListView::IconMode);
    m_thumbs->setIconSize(QSize(56, 56));
    m_thumbs->setMaximumHeight(150);
    m_thumbs->setMovement(QListView::Static);
    m_skipped = new QListWidget(this);
    m_skipped->setObjectName(QStringLiteral("skippedFiles"));
    m_skipped->setMaximumHeight(100);
    l->addWidget(m_calib);
    l->addWidget(m_thumbs);
    l->addWidget(new QLabel(tr("Skipped files:"), this));
    l->addWidget(m_skipped);
    l->addWidget(m_eval);
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("dataWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_warnings->hide();
    l->addWidget(m_warnings);
    l->addStretch(1);
}

void DataPanel::setCalibration(const DataSummary &s)
{
    m_calib->setText(tr("<b>Calibration</b> %1<br>%2 images · %3 classes%4 · %5 skipped")
                         .arg(s.source.toHtmlEscaped()).arg(s.count).arg(s.classNames.size())
                         .arg(s.labelled ? QString() : tr(" · unlabelled")).arg(s.skipped.size()));
    m_thumbs->clear();
    for (size_t i = 0; i < s.samples.size(); ++i) {
        const int label = s.sampleLabels[i];
        const QString name = label >= 0 && label < s.classNames.size() ? s.classNames[label] : QString();
        auto *it = new QListWidgetItem(QIcon(QPixmap::fromImage(toImage(s.samples[i]).scaled(56, 56))), name, m_thumbs);
        it->setToolTip(name);
    }
    m_skipped->clear();
    m_skipped->addItems(s.skipped);
}

void DataPanel::setCalibrationMessage(const QString &text)
{
    m_calib->setText(text);
    m_thumbs->clear();
    m_skipped->clear();
}

void DataPanel::setEvaluation(const QString &source, qint64 count, const QString &message)
{
    m_eval->setText(message.isEmpty() ? tr("<b>Evaluation</b> %1<br>%2 images").arg(source.toHtmlEscaped()).arg(count)
                                      : tr("<b>Evaluation</b> %1<br>%2").arg(source.toHtmlEscaped(), message.toHtmlEscaped()));
}

void DataPanel::setWarnings(const QStringList &warnings)
{
    QStringList escaped;
    for (const QString &w : warnings)
        escaped << QStringLiteral("⚠ ") + w.toHtmlEscaped();
    m_warnings->setText(escaped.join(QStringLiteral("<br>")));
    m_warnings->setVisible(!warnings.isEmpty());
}

QString DataPanel::warningsText() const
{
    return m_warnings->isVisible() ? m_warnings->text() : QString();
}

QString DataPanel::calibrationText() const
{
    return m_calib->text();
}

}  // namespace metaaug::ui
