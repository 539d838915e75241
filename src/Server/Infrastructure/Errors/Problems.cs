using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Infrastructure.Errors;

/// <summary>ProblemDetails results the endpoints return; field names are snake_case as in the JSON bodies.</summary>
public static class Problems
{
    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"{what} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);
}
