using Edge.Onnx;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Onnx.Serialization;

namespace Edge.Optimizer.Inspection;

/// <summary>Builds an <see cref="InspectionReport"/> from a loaded model.</summary>
internal static class ModelInspector
{
    public static InspectionReport Inspect(OnnxModel model, string path, CancellationToken cancellationToken)
    {
        var proto = model.Proto;
        var graphs = ModelTensors.WithSubgraphs(proto.Graph).ToList();
        var nodes = graphs.SelectMany(g => g.Node).ToList();
        var operators = CountOperators(nodes);

        long parameters = 0;
        var bytesByType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var initializerCount = 0;
        foreach (var graph in graphs)
        {
            foreach (var tensor in graph.Initializer)
            {
                initializerCount++;
                parameters += TensorData.ElementCount(tensor);
                Add(bytesByType, tensor, model);
            }

            foreach (var sparse in graph.SparseInitializer)
            {
                initializerCount++;
                parameters += sparse.Dims.Aggregate(1L, (a, b) => checked(a * b));
                foreach (var part in new[] { sparse.Values, sparse.Indices }.OfType<TensorProto>())
                {
                    Add(bytesByType, part, model);
                }
            }
        }

        var probe = ShapeProbe.Run(model, cancellationToken);
        return new InspectionReport
        {
            File = path,
            FileBytes = new FileInfo(path).Length,
            IrVersion = proto.IrVersion,
            Opsets = proto.OpsetImport.Select(o => (o.Domain.Length == 0 ? "ai.onnx" : o.Domain, o.Version)).ToList(),
            Producer = proto.ProducerName,
            ProducerVersion = proto.ProducerVersion,
            Inputs = Summaries(proto.Graph.Input.Where(i => !proto.Graph.Initializer.Any(t => t.Name == i.Name))),
            Outputs = Summaries(proto.Graph.Output),
            NodeCount = nodes.Count,
            Operators = operators,
            Parameters = parameters,
            WeightBytesByType = bytesByType,
            InitializerCount = initializerCount,
            SubgraphCount = graphs.Count - 1,
            Macs = MacEstimator.Estimate(proto.Graph, probe),
        };
    }

    /// <summary>Nodes per (domain, op type), most frequent first; the default domain is written as "".</summary>
    public static List<OperatorCount> CountOperators(IEnumerable<NodeProto> nodes) => nodes
        .GroupBy(n => (Domain: n.Domain is "ai.onnx" ? "" : n.Domain, n.OpType))
        .Select(g => new OperatorCount(g.Key.Domain, g.Key.OpType, g.Count()))
        .OrderByDescending(o => o.Count).ThenBy(o => o.OpType, StringComparer.Ordinal).ThenBy(o => o.Domain, StringComparer.Ordinal)
        .ToList();

    private static void Add(SortedDictionary<string, long> bytesByType, TensorProto tensor, OnnxModel model)
    {
        var type = TensorElementTypes.Name(tensor.DataType);
        long bytes;
        if (ExternalData.IsExternal(tensor))
        {
            bytes = ExternalData.Resolve(tensor, model.ExternalDataDirectory).Length;
        }
        else
        {
            var fixedSize = TensorElementTypes.ByteCount(tensor.DataType, TensorData.ElementCount(tensor));
            bytes = fixedSize >= 0 ? fixedSize : tensor.StringData.Sum(s => (long)s.Length);
        }

        bytesByType[type] = bytesByType.GetValueOrDefault(type) + bytes;
    }

    private static List<ValueSummary> Summaries(IEnumerable<ValueInfoProto> values) =>
        values.Select(v => new ValueSummary(v.Name, TypeName(v.Type), Dims(v.Type))).ToList();

    private static string TypeName(TypeProto? type) => type?.ValueCase switch
    {
        TypeProto.ValueOneofCase.TensorType => TensorElementTypes.Name(type.TensorType.ElemType),
        TypeProto.ValueOneofCase.SparseTensorType => "sparse " + TensorElementTypes.Name(type.SparseTensorType.ElemType),
        TypeProto.ValueOneofCase.SequenceType => "sequence",
        TypeProto.ValueOneofCase.MapType => "map",
        TypeProto.ValueOneofCase.OptionalType => "optional",
        TypeProto.ValueOneofCase.OpaqueType => "opaque",
        _ => "unknown",
    };

    private static List<string>? Dims(TypeProto? type)
    {
        var shape = type?.TensorType?.Shape ?? type?.SparseTensorType?.Shape;
        return shape?.Dim.Select(d =>
            d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) :
            d.HasDimParam && d.DimParam.Length > 0 ? d.DimParam : "?").ToList();
    }
}
