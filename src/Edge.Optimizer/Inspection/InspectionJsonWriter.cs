using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Edge.Optimizer.Inspection;

/// <summary>Writes an <see cref="InspectionReport"/> as the stable <c>edge.inspect/v1</c> JSON schema (docs/inspect-json.md).</summary>
internal static class InspectionJsonWriter
{
    public const string Schema = "edge.inspect/v1";

    public static string Write(InspectionReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("file", report.File);
            json.WriteNumber("file_bytes", report.FileBytes);
            json.WriteNumber("ir_version", report.IrVersion);
            json.WriteStartArray("opsets");
            foreach (var (domain, version) in report.Opsets)
            {
                json.WriteStartObject();
                json.WriteString("domain", domain);
                json.WriteNumber("version", version);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("producer");
            json.WriteString("name", report.Producer);
            json.WriteString("version", report.ProducerVersion);
            json.WriteEndObject();
            WriteValues(json, "inputs", report.Inputs);
            WriteValues(json, "outputs", report.Outputs);
            json.WriteNumber("node_count", report.NodeCount);
            json.WriteStartArray("operators");
            foreach (var op in report.Operators)
            {
                json.WriteStartObject();
                json.WriteString("domain", op.Domain);
                json.WriteString("op_type", op.OpType);
                json.WriteNumber("count", op.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("parameters", report.Parameters);
            json.WriteNumber("initializer_count", report.InitializerCount);
            json.WriteStartObject("weight_bytes");
            foreach (var (type, bytes) in report.WeightBytesByType)
            {
                json.WriteNumber(type, bytes);
            }

            json.WriteEndObject();
            json.WriteNumber("weight_bytes_total", report.WeightBytesByType.Values.Sum());
            json.WriteNumber("subgraph_count", report.SubgraphCount);
            WriteMacs(json, report.Macs);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValues(Utf8JsonWriter json, string name, IReadOnlyList<ValueSummary> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStartObject();
            json.WriteString("name", value.Name);
            json.WriteString("type", value.Type);
            if (value.Dims is null)
            {
                json.WriteNull("shape");
            }
            else
            {
                json.WriteStartArray("shape");
                foreach (var dim in value.Dims)
                {
                    if (long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        json.WriteNumberValue(number);
                    }
                    else if (dim == "?")
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        json.WriteStringValue(dim);
                    }
                }

                json.WriteEndArray();
            }

            json.WriteString("shape_text", value.ShapeText);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteMacs(Utf8JsonWriter json, MacReport macs)
    {
        json.WriteStartObject("macs");
        json.WriteNumber("total", macs.Total);
        json.WriteStartObject("by_op_type");
        foreach (var (op, count) in macs.ByOpType)
        {
            json.WriteNumber(op, count);
        }

        json.WriteEndObject();
        json.WriteStartArray("unknown");
        foreach (var unknown in macs.Unknown)
        {
            json.WriteStartObject();
            json.WriteString("node", unknown.Node);
            json.WriteString("op_type", unknown.OpType);
            json.WriteString("reason", unknown.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("shape_source", macs.ShapeSource);
        if (macs.ShapeFailure is null)
        {
            json.WriteNull("shape_failure");
        }
        else
        {
            json.WriteString("shape_failure", macs.ShapeFailure);
        }

        json.WriteStartArray("substituted_dims");
        foreach (var dim in macs.SubstitutedDims)
        {
            json.WriteStringValue(dim);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
