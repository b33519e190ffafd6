package io.github.ssestarter.internal.webflux;

import io.github.ssestarter.InvalidTopicException;
import io.github.ssestarter.internal.web.InvalidLastEventIdException;
import io.github.ssestarter.internal.web.ProblemDetails;
import io.github.ssestarter.internal.web.SseRejectedException;
import io.github.ssestarter.internal.web.TopicAccessDeniedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers what the starter refuses before a stream starts with RFC 9457 problem details
 * ({@code application/problem+json}), as on Spring MVC: an invalid topic name or last event id
 * ({@code 400}), a subscription the application does not allow ({@code 403}), and a stream over a
 * connection limit ({@code 429}, {@code 503}, with {@code Retry-After}). Ordered before Spring
 * Boot's error handler, so the answer does not depend on the application's error handling. Once an
 * event stream has started nothing more can be written into it: the failure is only logged, quietly.
 */
public final class SseProblemHandler implements WebExceptionHandler, Ordered {

	private static final Log logger = LogFactory.getLog(SseProblemHandler.class);

	@Override
	public int getOrder() {
		// Before Spring Boot's error handler (-1) and WebFlux's own (0).
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		HttpStatus status;
		String detail;
		ServerHttpResponse response = exchange.getResponse();
		if (ex instanceof InvalidTopicException) {
			status = HttpStatus.BAD_REQUEST;
			detail = ex.getMessage();
		}
		else if (ex instanceof InvalidLastEventIdException || ex instanceof SseRejectedException
				|| ex instanceof TopicAccessDeniedException) {
			ResponseStatusException refusal = (ResponseStatusException) ex;
			status = HttpStatus.valueOf(refusal.getStatusCode().value());
			detail = refusal.getReason();
			if (!response.isCommitted()) {
				refusal.getHeaders().forEach((name, values) -> response.getHeaders().addAll(name, values));
			}
		}
		else {
			return Mono.error(ex);
		}
		if (response.isCommitted()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Event stream ended by " + ex);
			}
			return Mono.empty();
		}
		byte[] body = ProblemDetails.json(status, detail, exchange.getRequest().getPath().value());
		response.setStatusCode(status);
		response.getHeaders().setCacheControl("no-store");
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
