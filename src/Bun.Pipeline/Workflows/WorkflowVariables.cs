using Bun.Pipeline.Parameters;

namespace Bun.Pipeline.Workflows;

public static class WorkflowVariables
{
    /// <summary>
    /// The environment variable a workflow sets for a parameter, which is also the name of the repository or environment
    /// secret a secret parameter is read from: <c>BUN_&lt;UPPER_SNAKE&gt;</c>.
    /// </summary>
    public static string For(ParameterDescriptor parameter) => parameter.EnvironmentName;
}
