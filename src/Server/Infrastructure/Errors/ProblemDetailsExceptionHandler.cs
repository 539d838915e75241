using System.Globalization;
using System.Text.Json;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EstateVoice.Server.Infrastructure.Errors;

/// <summary>
/// Turns exceptions into ProblemDetails: unreadable request bodies and parameters become 400 naming the field,
/// write conflicts 409, a database that is briefly unavailable or too busy to take a write in time 503 with
/// Retry-After, anything else a 500 that reveals nothing internal.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (SqliteWriteGate.FindTimeout(exception) is { } busy)
        {
            logger.LogWarning("database_busy {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, busy.Message);
            return await ServiceUnavailableAsync(context, exception, busy.RetryAfter, "The database is busy; try again shortly.");
        }
        if (TransientDatabaseErrors.IsTransient(exception) && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("database_unavailable {Method} {Path}: {Error}", context.Request.Method, context.Request.Path,
                exception.GetBaseException().Message);
            return await ServiceUnavailableAsync(context, exception, TimeSpan.FromSeconds(5), "The database is briefly unavailable; try again in a few seconds.");
        }
        var problem = exception switch
        {
            BadHttpRequestException bad => BadRequest(bad),
            JsonException json => InvalidJson(json),
            DbUpdateConcurrencyException => new ProblemDetails { Status = 409, Title = "Conflict", Detail = "The record was changed by someone else; reload and try again." },
            DbUpdateException db when DbErrors.IsUniqueViolation(db) => new ProblemDetails { Status = 409, Title = "Conflict", Detail = "A record with the same unique value already exists." },
            DbUpdateException db when DbErrors.IsForeignKeyViolation(db) => new ProblemDetails { Status = 409, Title = "Conflict", Detail = "A record this refers to was removed meanwhile; reload and try again." },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested) { context.Response.StatusCode = 499; return true; }
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails { Status = 500, Title = "Internal Server Error", Detail = "Something went wrong on our side; it has been logged." };
        }
        context.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// The database is restarting, unreachable (EF's retries included) or its SQLite write turn did not come in time:
    /// 503 with Retry-After, so clients and ElevenLabs/Twilio retry later, rather than a 500 that reads as a bug.
    /// </summary>
    private async ValueTask<bool> ServiceUnavailableAsync(HttpContext context, Exception exception, TimeSpan retryAfter, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, Exception = exception,
            ProblemDetails = new ProblemDetails { Status = 503, Title = "Service Unavailable", Detail = detail },
        });
    }

    private static ProblemDetails BadRequest(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json => InvalidJson(json),
        _ when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => new ProblemDetails { Status = 413, Title = "Payload Too Large", Detail = bad.Message },
        _ => new ValidationProblemDetails(new Dictionary<string, string[]> { [ParameterName(bad.Message)] = [bad.Message] })
        {
            Status = 400, Title = "Bad Request", Detail = bad.Message,
        },
    };

    private static ValidationProblemDetails InvalidJson(JsonException json)
    {
        // A value of the wrong type ("price": "abc", an unknown enum name) or one our converters refuse (NUL in a
        // string) names its field via JsonException.Path ("$.price"); broken syntax is a problem with the body as a whole.
        var isValueError = (json is InvalidJsonValueException || json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
                           && json.Path is { Length: > 2 };
        var field = isValueError ? json.Path!.TrimStart('$', '.') : "body";
        var message = !isValueError ? "The request body is not valid JSON."
            : json is InvalidJsonValueException ? $"{field} {json.Message}"
            : $"The value of '{field}' is not valid.";
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400, Title = "Bad Request", Detail = message,
        };
    }

    // Minimal APIs say e.g. 'Failed to bind parameter "int page" from "abc".'
    private static string ParameterName(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "parameter \"[^\"]*? (\\w+)\"");
        return match.Success ? match.Groups[1].Value : "request";
    }
}
