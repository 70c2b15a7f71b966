namespace Edge.Optimizer.Data;

/// <summary>The dataset formats every data-reading command accepts.</summary>
public enum DatasetKind
{
    /// <summary><c>mnist:&lt;dir&gt;</c> — MNIST idx files (optionally gzipped).</summary>
    Mnist,

    /// <summary><c>images:&lt;dir&gt;</c> — photos with a <c>labels.csv</c>, or one subfolder per class.</summary>
    Images,

    /// <summary><c>npy:&lt;file&gt;</c> — a NumPy <c>.npy</c> array or <c>.npz</c> archive; the first axis is the sample axis.</summary>
    Npy,

    /// <summary><c>testdata:&lt;dir&gt;</c> — ONNX <c>test_data_set_*</c> folders of TensorProto files.</summary>
    TestData,
}
