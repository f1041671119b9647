// SPDX-License-Identifier: GPL-3.0-or-later
#include "layerbits.h"

namespace metaaug::quant {

Result<BitPlan> applyLayerBits(const graph::Executor &executor, BitPlan plan, const LayerBitsMap &bits)
{
    const graph::Graph &g = executor.graph();
    std::map<int, QString> pointSetBy;  // point -> the layer that set its bits
    for (const auto &[name, b] : bits) {
        const int node = g.findNode(name.toStdString());
        if (node < 0 || !plan.weightBits.count(node)) {
            QStringList known;
            for (int l : g.layers())
                known << QString::fromStdString(g.nodes[l].name);
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layer bits name %1, which is not a conv/linear layer of the model "
                                                                        "(layers: %2)")
                                                             .arg(name, known.mid(0, 8).join(QStringLiteral(", ")) +
                                                                            (known.size() > 8 ? QStringLiteral(", …") : QString())));
        }
        plan.weightBits[node] = b.weight;
        if (!b.activation)
            continue;
        const int point = executor.pointOfValue(g.nodes[node].inputs[0]);
        if (executor.activationPoints()[point].isModelInput)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("layer %1 reads the image itself, which stays FP: give it weight bits only").arg(name));
        if (auto it = pointSetBy.find(point); it != pointSetBy.end() && plan.activationBits[point] != b.activation)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("layers %1 and %2 share their input, which cannot take %3 and %4 bits")
                                                             .arg(it->second, name).arg(plan.activationBits[point]).arg(b.activation));
        plan.activationBits[point] = b.activation;
        pointSetBy[point] = name;
    }
    return plan;
}

}  // namespace metaaug::quant
