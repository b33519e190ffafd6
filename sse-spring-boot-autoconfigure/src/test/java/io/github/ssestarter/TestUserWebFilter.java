package io.github.ssestarter;

import java.security.Principal;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Signs a test exchange in as the user its {@link TestUserFilter#HEADER} names, as
 * {@link TestUserFilter} does on Spring MVC; standing in for Spring Security, which sets the
 * exchange's principal the same way.
 */
public final class TestUserWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String user = exchange.getRequest().getHeaders().getFirst(TestUserFilter.HEADER);
		if (user == null) {
			return chain.filter(exchange);
		}
		Principal principal = () -> user;
		return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
	}

}
