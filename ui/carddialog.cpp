// SPDX-License-Identifier: GPL-3.0-or-later
#include "carddialog.h"

#include "async.h"

#include "model/cardpresets.h"
#include "model/datasummary.h"
#include "model/modelcard.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtGui/QImage>
#include <QtGui/QPixmap>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {

QString numbers(const QJsonArray &a)
{
    QStringList parts;
    for (const auto &v : a)
        parts << QString::number(v.toDouble());
    return parts.join(QStringLiteral(", "));
}

QJsonArray parseNumbers(const QString &text)
{
    QJsonArray a;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            return {};
        a.append(v);
    }
    return a;
}

QSpinBox *spin(int lo, int hi)
{
    auto *s = new QSpinBox;
    s->setRange(lo, hi);
    return s;
}

}  // namespace

CardDialog::CardDialog(const QString &modelPath, const std::vector<int64_t> &declaredInput, const QString &calibSource,
                       QWidget *parent)
    : QDialog(parent), m_modelPath(modelPath), m_calibSource(calibSource)
{
    setWindowTitle(tr("Model card for %1").arg(QFileInfo(modelPath).fileName()));
    auto *intro = new QLabel(tr("<b>%1</b> has no model card: say how its input is prepared. Choose the preprocessing the "
                                "model was trained with; the preview shows the first calibration image as the model will see it.")
                                 .arg(QFileInfo(modelPath).fileName().toHtmlEscaped()));
    intro->setWordWrap(true);
    m_preset = new QComboBox;
    for (const CardPreset &p : cardPresets())
        m_preset->addItem(p.label, p.id);
    m_preset->addItem(tr("Custom"), QString());
    m_channels = spin(1, 4);
    m_height = spin(8, 4096);
    m_width = spin(8, 4096);
    m_resize = spin(8, 8192);
    m_mean = new QLineEdit;
    m_std = new QLineEdit;
    m_beside = new QCheckBox(tr("Save the card beside the model (%1)").arg(QFileInfo(cardPathFor(modelPath)).fileName()));
    m_beside->setChecked(QFileInfo(QFileInfo(modelPath).absolutePath()).isWritable());
    m_preview = new QLabel;
    m_preview->setMinimumSize(160, 160);
    m_preview->setAlignment(Qt::AlignCenter);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_preview->setObjectName(QStringLiteral("cardPreview"));
    m_preset->setObjectName(QStringLiteral("cardPreset"));

    auto *form = new QFormLayout;
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("Channels"), m_channels);
    form->addRow(tr("Height"), m_height);
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Resize shorter side to"), m_resize);
    form->addRow(tr("Mean (per channel, after scaling to [0, 1])"), m_mean);
    form->addRow(tr("Std"), m_std);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &CardDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_beside);
    layout->addWidget(m_preview);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(250);
    connect(m_previewTimer, &QTimer::timeout, this, &CardDialog::showPreview);
    applyPreset();
    // Start from the shape the file declares, where it declares one.
    if (declaredInput.size() == 3) {
        const QJsonArray shape = findCardPreset(m_preset->currentData().toString())->json.value(QLatin1String("input_shape")).toArray();
        if (shape != QJsonArray{qint64(declaredInput[0]), qint64(declaredInput[1]), qint64(declaredInput[2])}) {
            m_preset->setCurrentIndex(m_preset->count() - 1);
            m_channels->setValue(int(declaredInput[0]));
            m_height->setValue(int(declaredInput[1]));
            m_width->setValue(int(declaredInput[2]));
            m_resize->setValue(int(std::min(declaredInput[1], declaredInput[2])));
        }
        m_status->setText(tr("The file declares an input of %1x%2x%3.").arg(declaredInput[0]).arg(declaredInput[1]).arg(declaredInput[2]));
    }
    connect(m_preset, &QComboBox::currentIndexChanged, this, &CardDialog::applyPreset);
    for (QSpinBox *s : {m_channels, m_height, m_width, m_resize})
        connect(s, &QSpinBox::valueChanged, this, &CardDialog::schedulePreview);
    for (QLineEdit *e : {m_mean, m_std})
        connect(e, &QLineEdit::textChanged, this, &CardDialog::schedulePreview);
    schedulePreview();
}

void CardDialog::applyPreset()
{
    const CardPreset *p = findCardPreset(m_preset->currentData().toString());
    if (!p)
        return;  // Custom: keep the values
    const QJsonObject &j = p->json;
    const QJsonArray shape = j.value(QLatin1String("input_shape")).toArray();
    m_channels->setValue(shape.at(0).toInt());
    m_height->setValue(shape.at(1).toInt());
    m_width->setValue(shape.at(2).toInt());
    m_resize->setValue(j.value(QLatin1String("resize")).toInt());
    m_mean->setText(numbers(j.value(QLatin1String("mean")).toArray()));
    m_std->setText(numbers(j.value(QLatin1String("std")).toArray()));
    schedulePreview();
}

QJsonObject CardDialog::cardJson() const
{
    return QJsonObject{{QStringLiteral("name"), QFileInfo(m_modelPath).completeBaseName()},
                       {QStringLiteral("input_shape"), QJsonArray{m_channels->value(), m_height->value(), m_width->value()}},
                       {QStringLiteral("channels"), m_channels->value()},
                       {QStringLiteral("resize"), std::max(m_resize->value(), std::min(m_height->value(), m_width->value()))},
                       {QStringLiteral("scale"), 1.0 / 255.0},
                       {QStringLiteral("mean"), parseNumbers(m_mean->text())},
                       {QStringLiteral("std"), parseNumbers(m_std->text())}};
}

void CardDialog::schedulePreview()
{
    m_previewTimer->start();
}

void CardDialog::showPreview()
{
    auto card = ModelCard::fromJson(QJsonDocument(cardJson()).toJson(), tr("the card"));
    if (!card) {
        m_status->setText(card.error().message);
        return;
    }
    const int generation = ++m_previewGeneration;
    const PreprocessSpec pre = card->preprocess;
    const QString source = m_calibSource;
    runAsync<Result<DataSummary>>(this, [source, pre] { return summarizeData(source, pre, 1); },
                                  [this, generation](const Result<DataSummary> &r) {
                                      if (generation != m_previewGeneration)
                                          return;  // a newer card replaced it
                                      if (!r || r->samples.empty()) {
                                          m_preview->setText(r ? tr("no calibration image") : r.error().message);
                                          return;
                                      }
                                      const cv::Mat &m = r->samples.front();
                                      const QImage img(m.data, m.cols, m.rows, int(m.step),
                                                       m.channels() == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
                                      const int side = std::max(160, std::min(m.cols, 320));
                                      m_preview->setPixmap(QPixmap::fromImage(img.copy()).scaled(side, side, Qt::KeepAspectRatio));
                                      m_preview->setToolTip(tr("%1x%2 as the model sees it (before normalisation)").arg(m.cols).arg(m.rows));
                                  });
}

void CardDialog::accept()
{
    const QJsonObject json = cardJson();
    auto card = ModelCard::fromJson(QJsonDocument(json).toJson(), tr("the card"));
    if (!card) {
        m_status->setText(card.error().message);
        return;
    }
    QString path = cardPathFor(m_modelPath);
    if (!m_beside->isChecked()) {
        const QDir dir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cards"));
        dir.mkpath(QStringLiteral("."));
        path = dir.filePath(QFileInfo(m_modelPath).completeBaseName() + QStringLiteral(".json"));
    }
    QSaveFile f(path);  // whole or not at all
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) < 0 || !f.commit()) {
        m_status->setText(tr("The card could not be written to %1: %2").arg(path, f.errorString()));
        return;
    }
    m_written = path;
    QDialog::accept();
}

}  // namespace metaaug::ui
