namespace Edge.Optimizer.Calibration;

/// <summary>How calibration runs: the range method, its percentile, samples per ONNX Runtime call and threads.</summary>
internal sealed record CalibrationSettings(CalibrationMethod Method, double Percentile, int BatchSize, int Threads);
