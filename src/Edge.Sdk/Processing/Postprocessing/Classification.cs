namespace Edge.Sdk.Processing.Postprocessing;

/// <summary>One ranked class from a classifier output.</summary>
/// <param name="ClassIndex">Index of the class in the model output, from 0.</param>
/// <param name="Label">The class's label, or null when no labels were supplied.</param>
/// <param name="Score">The score as given (a probability after softmax, otherwise a logit).</param>
public readonly record struct Classification(int ClassIndex, string? Label, float Score);
