namespace Edge.Optimizer.Evaluation;

/// <summary>What a model's outputs are, which decides how two models' answers are compared.</summary>
internal enum OutputTask
{
    /// <summary>One output of class scores, <c>[batch, classes]</c>: top-1 and top-1 agreement.</summary>
    Classification,

    /// <summary>A YOLOX head, <c>[1, anchors, 5 + classes]</c>: boxes decoded and matched.</summary>
    Yolox,

    /// <summary>UltraFace's scores <c>[1, priors, 2]</c> and boxes <c>[1, priors, 4]</c>: faces decoded and matched.</summary>
    UltraFace,

    /// <summary>Anything else: agreement of the first output's largest element.</summary>
    Raw,
}
