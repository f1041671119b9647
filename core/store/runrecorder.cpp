// SPDX-License-Identifier: GPL-3.0-or-later
#include "runrecorder.h"

#include <opencv2/imgcodecs.hpp>

namespace metaaug::store {

namespace {
constexpr size_t kMaxRows = 2000;
constexpr auto kMaxDelay = std::chrono::milliseconds(250);

QByteArray png(const cv::Mat &m)
{
    std::vector<uchar> buf;
    if (m.empty() || !cv::imencode(".png", m, buf))
        return {};
    return QByteArray(reinterpret_cast<const char *>(buf.data()), qsizetype(buf.size()));
}
}  // namespace

RunRecorder::RunRecorder(RunStore &store, int64_t runId, RunSink *forward)
    : m_store(store), m_run(runId), m_forward(forward)
{
}

void RunRecorder::progress(const ProgressEvent &e)
{
    if (m_forward)
        m_forward->progress(e);
    for (const auto &[key, value] : e.values)
        m_batch.scalars.push_back({e.unit, QString::fromLatin1(runPhaseName(e.phase)), e.iteration, key, value});
    maybeFlush();
}

void RunRecorder::layerMetric(const LayerMetricEvent &e)
{
    if (m_forward)
        m_forward->layerMetric(e);
    m_batch.layerMetrics.push_back({e.layer, e.key, e.value, e.unit, e.iteration});
    maybeFlush();
}

void RunRecorder::image(const ImageEvent &e)
{
    if (m_forward)
        m_forward->image(e);
    m_batch.images.push_back({e.unit, e.iteration, png(e.originals), png(e.transformed)});
    maybeFlush();
}

void RunRecorder::identity(const QJsonObject &identity)
{
    if (m_forward)
        m_forward->identity(identity);
    if (auto r = m_store.setIdentity(m_run, identity); !r && !m_error)
        m_error = r.error();
}

void RunRecorder::log(const QString &line)
{
    if (m_forward)
        m_forward->log(line);
}

bool RunRecorder::shouldAbort()
{
    return m_forward && m_forward->shouldAbort();
}

void RunRecorder::maybeFlush()
{
    const size_t rows = m_batch.scalars.size() + m_batch.layerMetrics.size() + m_batch.images.size() * 100;
    if (rows >= kMaxRows || std::chrono::steady_clock::now() - m_lastFlush >= kMaxDelay)
        (void)flush();
}

Result<void> RunRecorder::flush()
{
    m_lastFlush = std::chrono::steady_clock::now();
    if (m_batch.empty())
        return {};
    WriteBatch batch;
    std::swap(batch, m_batch);
    if (m_error)
        return *m_error;
    const int64_t rows = int64_t(batch.scalars.size() + batch.layerMetrics.size() + batch.images.size());
    if (auto r = m_store.write(m_run, batch); !r) {
        m_error = r.error();
        return r;
    }
    m_rows += rows;
    return {};
}

}  // namespace metaaug::store
