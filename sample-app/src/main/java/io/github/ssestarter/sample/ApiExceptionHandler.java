package io.github.ssestarter.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ssestarter.SseBackplaneException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers errors with RFC 9457 problem details ({@code application/problem+json}); an invalid
 * request body also lists what is wrong with each field, for example
 * {@code "errors": {"amount": "must be greater than 0"}}, and an invalid parameter says what is wrong
 * with it in the {@code detail}. An event that could not be published because the backplane is away
 * (Redis, with the {@code redis} profile) is answered {@code 503} with {@code Retry-After}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.putIfAbsent(error.getField(), error.getDefaultMessage());
		}
		ProblemDetail body = ex.getBody();
		body.setDetail("Invalid " + String.join(", ", errors.keySet()));
		body.setProperty("errors", errors);
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			String name = result.getMethodParameter().getParameterName();
			for (MessageSourceResolvable error : result.getResolvableErrors()) {
				errors.add(name + " " + error.getDefaultMessage());
			}
		}
		ProblemDetail body = ex.getBody();
		body.setDetail(String.join("; ", errors));
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	/**
	 * The backplane did not accept an event, so it was not published: the client may send it again.
	 * @param ex what failed
	 * @param request the request
	 * @return {@code 503} with {@code Retry-After: 1} and problem details
	 */
	@ExceptionHandler
	@Nullable ResponseEntity<Object> handleBackplaneException(SseBackplaneException ex, WebRequest request) {
		this.logger.warn("Event not published, answered 503: " + ex.getMessage());
		HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
				"The event was not published: its backplane cannot be reached now");
		body.setTitle(status.getReasonPhrase());
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "1");
		return handleExceptionInternal(ex, body, headers, status, request);
	}

}
