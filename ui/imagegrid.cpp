// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagegrid.h"

#include "augment/differencemap.h"

#include <opencv2/imgproc.hpp>

#include <QtGui/QMouseEvent>
#include <QtGui/QPainter>
#include <QtWidgets/QDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSlider>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
QPixmap scaled(const QImage &img, int width)
{
    if (img.isNull())
        return {};
    return QPixmap::fromImage(img.scaledToWidth(std::max(32, width), Qt::FastTransformation));
}

// Smallest readable size of one image: twice a small input (56 px for
// 28x28), half a large one but at least 112 px (224x224 -> 112).
int minimumThumbnail(int imageSide)
{
    return imageSide <= 56 ? 2 * imageSide : std::max(112, imageSide / 2);
}

cv::Mat toMat(const QImage &img)
{
    const QImage g = img.format() == QImage::Format_Grayscale8 ? img : img.convertToFormat(QImage::Format_RGB888);
    cv::Mat m(g.height(), g.width(), g.format() == QImage::Format_Grayscale8 ? CV_8UC1 : CV_8UC3,
              const_cast<uchar *>(g.constBits()), size_t(g.bytesPerLine()));
    return m.clone();
}

QImage differenceImage(const ImagePair &p, double *scale)
{
    const augment::DifferenceMap d = augment::differenceMap(toMat(p.originals), toMat(p.transformed));
    *scale = d.scale;
    if (d.image.empty())
        return {};
    cv::Mat rgb;
    cv::cvtColor(d.image, rgb, cv::COLOR_BGR2RGB);
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

QPixmap scaleBar(double maxAbs)
{
    QImage bar(256, 14, QImage::Format_RGB888);
    for (int x = 0; x < 256; ++x) {
        const cv::Vec3b c = augment::divergingColour((x - 127.5) / 127.5);
        for (int y = 0; y < bar.height(); ++y)
            bar.setPixelColor(x, y, QColor(c[2], c[1], c[0]));
    }
    QPixmap pm(256, 30);
    pm.fill(Qt::white);
    QPainter painter(&pm);
    painter.drawImage(0, 0, bar);
    painter.setPen(Qt::black);
    QFont f = painter.font();
    f.setPointSize(7);
    painter.setFont(f);
    const QString m = QString::number(maxAbs, 'g', 3);
    painter.drawText(QRect(0, 14, 256, 16), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("-%1").arg(m));
    painter.drawText(QRect(0, 14, 256, 16), Qt::AlignHCenter | Qt::AlignVCenter, QStringLiteral("0"));
    painter.drawText(QRect(0, 14, 256, 16), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("+%1").arg(m));
    return pm;
}
}  // namespace

ImageGrid::ImageGrid(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    m_caption = new QLabel(tr("No images yet: MetaAug sends originals and T(x) during its warm-up and meta phase."), this);
    m_caption->setObjectName(QStringLiteral("imageCaption"));
    m_caption->setWordWrap(true);
    outer->addWidget(m_caption);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("imageScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *strips = new QWidget(scroll);
    auto *l = new QVBoxLayout(strips);
    l->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(strips);
    auto titled = [this, l](const QString &title, QLabel **label) {
        l->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title), this));
        *label = new QLabel(this);
        (*label)->setMinimumHeight(40);
        (*label)->setCursor(Qt::PointingHandCursor);
        (*label)->setToolTip(tr("Click to enlarge"));
        (*label)->installEventFilter(this);
        l->addWidget(*label);
    };
    titled(tr("Originals x"), &m_originals);
    titled(tr("Transformed T(x)"), &m_transformed);
    titled(tr("Difference T(x) − x (levels of 255)"), &m_difference);
    m_difference->setObjectName(QStringLiteral("differenceMap"));
    m_scaleBar = new QLabel(strips);
    m_scaleBar->setObjectName(QStringLiteral("differenceScale"));
    m_scaleBar->setToolTip(tr("Colour scale of the difference map, in levels of 255 of the strips' display range, "
                              "symmetric about 0 and set by the 99th percentile of |T(x) − x| (larger changes saturate): "
                              "blue = darker than the original, red = brighter, white = unchanged"));
    l->addWidget(m_scaleBar);
    l->addStretch(1);
    outer->addWidget(scroll, 1);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("imageSlider"));
    m_slider->setToolTip(tr("Browse earlier image events"));
    m_slider->setEnabled(false);
    outer->addWidget(m_slider);
    connect(m_slider, &QSlider::valueChanged, this, &ImageGrid::show);
}

void ImageGrid::setPairs(const QVector<ImagePair> &pairs, const std::map<int, QString> &unitNames)
{
    const bool followNewest = m_slider->value() == m_slider->maximum();
    const int before = m_pairs.size();
    m_pairs = pairs;
    m_unitNames = unitNames;
    m_slider->blockSignals(true);
    m_slider->setRange(0, std::max(0, int(pairs.size()) - 1));
    m_slider->setEnabled(pairs.size() > 1);
    if (followNewest || before == 0)
        m_slider->setValue(m_slider->maximum());
    m_slider->blockSignals(false);
    show(pairs.isEmpty() ? -1 : m_slider->value());
}

int ImageGrid::shownIndex() const
{
    return m_pairs.isEmpty() ? -1 : m_slider->value();
}

QString ImageGrid::caption() const
{
    return m_caption->text();
}

void ImageGrid::show(int index)
{
    if (index < 0 || index >= m_pairs.size()) {
        for (QLabel *label : {m_originals, m_transformed, m_difference, m_scaleBar})
            label->clear();
        return;
    }
    const ImagePair &p = m_pairs[index];
    auto it = m_unitNames.find(p.unit);
    const QString unit = it == m_unitNames.end() ? QStringLiteral("?") : it->second;
    const QString where = p.unit < 0 ? tr("T's warm-up, step %1").arg(p.iteration)
                          : p.iteration == 0 ? tr("Unit %1 (%2), the copy phase B trains on").arg(p.unit + 1).arg(unit)
                                             : tr("Unit %1 (%2), meta iteration %3").arg(p.unit + 1).arg(unit).arg(p.iteration);
    m_caption->setText(tr("%1 — event %2 of %3").arg(where).arg(index + 1).arg(m_pairs.size()));
    m_differenceImage = differenceImage(p, &m_differenceScale);
    const int w = thumbnailSize() * std::max(1, p.originals.width() / std::max(1, p.originals.height()));
    m_originals->setPixmap(scaled(p.originals, w));
    m_transformed->setPixmap(scaled(p.transformed, w));
    m_difference->setPixmap(scaled(m_differenceImage, w));
    m_scaleBar->setPixmap(scaleBar(m_differenceScale));
}

int ImageGrid::thumbnailSize() const
{
    const int index = shownIndex();
    if (index < 0)
        return 0;
    const QImage &img = m_pairs[index].originals;
    const int side = img.height();
    const int count = std::max(1, img.width() / std::max(1, side));
    return std::max(minimumThumbnail(side), (std::max(200, width() - 30)) / count);
}

bool ImageGrid::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_originals || watched == m_transformed || watched == m_difference) && event->type() == QEvent::MouseButtonRelease) {
        enlarge();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ImageGrid::enlarge()
{
    const int index = shownIndex();
    if (index < 0)
        return;
    const ImagePair &p = m_pairs[index];
    auto *dlg = new QDialog(this);
    dlg->setObjectName(QStringLiteral("enlargedImages"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(m_caption->text());
    auto *l = new QVBoxLayout(dlg);
    for (const auto &[title, img] : {std::pair{tr("Originals x"), p.originals}, std::pair{tr("Transformed T(x)"), p.transformed},
                                     std::pair{tr("Difference T(x) − x (scale ±%1 levels)").arg(m_differenceScale, 0, 'g', 3), m_differenceImage}}) {
        l->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title), dlg));
        auto *label = new QLabel(dlg);
        label->setPixmap(scaled(img, std::min(1600, img.width() * 4)));
        l->addWidget(label);
    }
    dlg->open();
}

}  // namespace metaaug::ui
