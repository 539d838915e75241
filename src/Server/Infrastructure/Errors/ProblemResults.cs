using Microsoft.AspNetCore.Http.HttpResults;

namespace EstateVoice.Server.Infrastructure.Errors;

/// <summary>
/// Problem results of one type (<see cref="ProblemHttpResult"/>), for checks that can fail in more than one way
/// (a 400 naming a field or a 403) and return through a single helper.
/// </summary>
public static class ProblemResults
{
    public static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "One or more validation errors occurred.", Detail = message,
        });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
