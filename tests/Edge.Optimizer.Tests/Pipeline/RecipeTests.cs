using System.Text.Json.Nodes;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Tests.Pipeline;

public sealed class RecipeTests
{
    [Fact]
    public void FromJson_RelativePaths_ResolveAgainstTheRecipeFolder()
    {
        var recipe = Recipe.FromJson(Parse("""{ "schema": "edge.recipe/v2", "input": "models/in.onnx", "output": "out/x.onnx", "measure": { "eval": "mnist:data@0:10" }, "steps": [ { "pass": "prune" } ] }"""), "/recipes");

        Assert.Equal("/recipes/models/in.onnx", recipe.Input);
        Assert.Equal("/recipes/out/x.onnx", recipe.Output);
        Assert.Equal("mnist:/recipes/data@0:10", recipe.Measure!.Eval);
        Assert.Equal("prune", recipe.Steps.Single().Pass);
        Assert.Empty(recipe.Steps.Single().Options);
    }

    [Fact]
    public void ToJson_FromJson_RoundTrips()
    {
        var recipe = new Recipe { Input = "/a.onnx", Output = "/b.onnx", Steps = [new RecipeStep("quantize", new JsonObject { ["mode"] = "dynamic" })] };

        var again = Recipe.FromJson(JsonNode.Parse(recipe.ToJson().ToJsonString()));

        Assert.Equal(recipe.ToJson().ToJsonString(), again.ToJson().ToJsonString());
    }

    [Theory]
    [InlineData("""{ "schema": "edge.recipe/v3", "input": "a", "output": "b", "steps": [] }""", "written by a newer edge-optimize")]
    [InlineData("""{ "schema": "edge.recipe/v1", "input": "a", "output": "b", "steps": [] }""", "run the command again")]
    [InlineData("""{ "schema": "something", "input": "a", "output": "b", "steps": [] }""", "expected 'edge.recipe/v2'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "output": "b", "steps": [ { "pass": "prune" } ] }""", "needs 'input'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "a", "output": "b", "steps": [] }""", "at least one step")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "a", "output": "b", "steps": [ { "options": {} } ] }""", "step 1 has no 'pass'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "a", "output": "b", "step": [] }""", "unknown recipe field 'step'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "a", "output": "b", "measure": { "runs": 3 }, "steps": [ { "pass": "prune" } ] }""", "measure: unknown option 'runs'")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    public void FromJson_BadRecipe_ThrowsRecipeExceptionNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.FromJson(Parse(json), "/r"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
