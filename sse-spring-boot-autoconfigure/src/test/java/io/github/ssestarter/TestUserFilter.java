package io.github.ssestarter;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signs a test request in as the user its {@link #HEADER} names, standing in for Spring Security,
 * which sets the request's principal the same way.
 */
public final class TestUserFilter extends OncePerRequestFilter {

	/** The header that names the request's user. */
	public static final String HEADER = "X-Test-User";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String user = request.getHeader(HEADER);
		if (user == null) {
			chain.doFilter(request, response);
			return;
		}
		Principal principal = () -> user;
		chain.doFilter(new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return principal;
			}

		}, response);
	}

}
