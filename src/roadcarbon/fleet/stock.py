"""Cohort stock turnover: survival curves, vintages, scrappage, activity and sales-share choice (pure numpy).

Arrays are indexed ``[..., year, technology]``; a leading sample axis ``S`` carries Monte Carlo draws.
Conservation holds by construction and is tested independently:
``stock(t) = stock(t-1) + sales(t) - scrappage(t)``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from roadcarbon.types import FloatArray


def weibull_scale_from_mean(mean_life_years: npt.ArrayLike, shape: float) -> FloatArray:
    r"""Weibull scale T giving a mean life [years].

    .. math:: T = \bar L / \Gamma(1 + 1/k)

    Parameters
    ----------
    mean_life_years
        Mean life of a vehicle [years] (ICCT Roadmap "average retirement age").
    shape
        Weibull shape k [1].

    Returns
    -------
    ndarray
        Scale T [years].

    Examples
    --------
    >>> round(float(weibull_scale_from_mean(10.0, 1.0)), 6)
    10.0
    """
    return np.asarray(mean_life_years, dtype=np.float64) / math.gamma(1.0 + 1.0 / shape)


def weibull_survival(age_years: npt.ArrayLike, scale_years: npt.ArrayLike, shape: float) -> FloatArray:
    r"""Share of a cohort still in use at an age [0-1]: :math:`S(a) = \exp(-(a/T)^k)`.

    The Weibull form used for Chinese vehicle classes by Hao et al. (2011), *Vehicle survival
    patterns in China*, Sci China Tech Sci 54(3):625-629, and in the ICCT Roadmap model.

    Parameters
    ----------
    age_years
        Age [years]; broadcast against ``scale_years``.
    scale_years
        Weibull scale T [years].
    shape
        Weibull shape k [1].

    Examples
    --------
    >>> float(weibull_survival(0.0, 10.0, 2.0)), round(float(weibull_survival(10.0, 10.0, 2.0)), 6)
    (1.0, 0.367879)
    """
    a = np.asarray(age_years, dtype=np.float64)
    t = np.asarray(scale_years, dtype=np.float64)
    return np.asarray(np.exp(-np.power(np.maximum(a, 0.0) / t, shape)))


def interpolate_path(points: dict[int, float], years: list[int]) -> FloatArray:
    """Linear interpolation of a dated path over ``years``, held flat outside its points.

    Examples
    --------
    >>> interpolate_path({2020: 0.0, 2030: 1.0}, [2020, 2025, 2030, 2031]).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    xs = sorted(points)
    return np.interp(np.asarray(years, dtype=np.float64), xs, [points[x] for x in xs]).astype(np.float64)


def cohort_matrices(
    n_years: int, survival: FloatArray, km_by_age: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Vintage matrices of new sales: ``M[..., t, t0] = S(t - t0)`` and ``K = M * km(t - t0)``.

    Parameters
    ----------
    n_years
        Number of simulated years T.
    survival
        ``S(a)`` for ages ``0..A`` (``A >= T``), shape ``(..., A+1)`` [0-1].
    km_by_age
        Annual distance at age ``a``, shape ``(..., A+1)`` [km/year].

    Returns
    -------
    tuple
        ``M`` [1] and ``K`` [km/year], shape ``(..., T, T)``, zero above the diagonal.
    """
    t = np.arange(n_years)
    age = t[:, None] - t[None, :]
    valid = age >= 0
    idx = np.where(valid, age, 0)
    m = np.where(valid, survival[..., idx], 0.0)
    k = np.where(valid, (survival * km_by_age)[..., idx], 0.0)
    return m, k


def initial_cohorts(stock: FloatArray, survival: FloatArray, max_age: int) -> FloatArray:
    """Split a base-year stock into ages ``0..max_age-1`` in proportion to survival (steady state).

    The steady-state profile (constant past sales) is an assumption used where no age
    distribution of the registered stock is published.

    Parameters
    ----------
    stock
        Vehicles by technology, shape ``(P,)`` [vehicles].
    survival
        ``S(a)``, shape ``(..., A+1)``.
    max_age
        Number of ages kept.

    Returns
    -------
    ndarray
        Shape ``(..., max_age, P)`` [vehicles]; sums over ages equal ``stock``.
    """
    s = survival[..., :max_age]
    weights = s / s.sum(axis=-1, keepdims=True)
    return np.asarray(weights[..., :, None] * stock)


def initial_paths(
    cohorts: FloatArray, survival: FloatArray, km_by_age: FloatArray, n_years: int
) -> tuple[FloatArray, FloatArray]:
    """Stock and vehicle-km of the base-year cohorts in each simulated year.

    A cohort of age ``a0`` at the end of the base year keeps ``S(a0 + t) / S(a0)`` of its
    vehicles ``t`` years later and drives ``km(a0 + t)`` each.

    Returns
    -------
    tuple
        Stock [vehicles] and activity [km], shape ``(..., T, P)``; ``t = 0`` is the base year.
    """
    a0 = np.arange(cohorts.shape[-2])
    t = np.arange(n_years)
    ages = a0[None, :] + t[:, None]
    surv = survival[..., ages] / np.maximum(survival[..., a0], 1e-300)[..., None, :]
    kms = km_by_age[..., ages]
    stock = np.einsum("...ta,...ap->...tp", surv, cohorts)
    vkm = np.einsum("...ta,...ap->...tp", surv * kms, cohorts)
    return stock, vkm


def apply_mandate(
    shares: FloatArray, active: npt.NDArray[np.bool_], covered: npt.NDArray[np.bool_], min_share: float
) -> FloatArray:
    """Raise the covered technologies' share to at least ``min_share`` in the active years.

    Covered technologies are scaled up in proportion to their own shares (equal split if they
    had none), the others scaled down in proportion; shares still sum to 1.

    Parameters
    ----------
    shares
        Sales shares, shape ``(..., T, P)`` [0-1].
    active
        Years the mandate applies, shape ``(T,)``.
    covered
        Technologies the mandate counts, shape ``(P,)``.
    min_share
        Required share [0-1].
    """
    cov = np.where(covered, shares, 0.0)
    oth = np.where(covered, 0.0, shares)
    cov_sum = cov.sum(axis=-1, keepdims=True)
    oth_sum = oth.sum(axis=-1, keepdims=True)
    need = (cov_sum < min_share) & active[:, None]
    equal = np.where(covered, 1.0 / max(int(covered.sum()), 1), 0.0)
    cov_dist = np.where(cov_sum > 0, cov / np.where(cov_sum > 0, cov_sum, 1.0), equal)
    oth_dist = np.where(oth_sum > 0, oth / np.where(oth_sum > 0, oth_sum, 1.0), 0.0)
    raised = cov_dist * min_share + oth_dist * (1.0 - min_share)
    return np.asarray(np.where(need, raised, shares))


def logit_shares(
    base_shares: FloatArray, relative_price_change: FloatArray, price_elasticity: npt.ArrayLike
) -> FloatArray:
    r"""Sales shares after a price change, multinomial logit around the baseline shares.

    .. math::

       s_p = \frac{s^0_p \exp(\beta \ln(1 + \Delta_p))}{\sum_q s^0_q \exp(\beta \ln(1 + \Delta_q))}

    with :math:`\Delta_p` the price change of technology p relative to its price and
    :math:`\beta` the price coefficient on log price; the own-price elasticity of a share is then
    :math:`\beta (1 - s_p)`. The baseline shares play the alternative-specific constants
    (they already reflect the schemes in force; only the *change* in price moves them). With no
    price change the shares are the baseline's exactly.

    Parameters
    ----------
    base_shares
        Baseline shares, shape ``(..., T, P)`` [0-1].
    relative_price_change
        :math:`\Delta_p`, shape ``(..., T, P)`` [1], > -1.
    price_elasticity
        :math:`\beta` [1], scalar or shape ``(...,)`` (samples).

    References
    ----------
    Train, K. (2009) *Discrete Choice Methods with Simulation*, 2nd ed., ch. 3 (logit elasticities).

    Examples
    --------
    >>> s = logit_shares(np.array([[0.5, 0.5]]), np.array([[0.0, 0.1]]), -2.0)
    >>> round(float(s[0, 0]), 4)
    0.5476
    """
    beta = np.asarray(price_elasticity, dtype=np.float64)
    beta = beta.reshape((*beta.shape, 1, 1))
    log_ratio = np.log1p(np.maximum(relative_price_change, -0.99))
    weight = base_shares * np.exp(beta * log_ratio)
    total = weight.sum(axis=-1, keepdims=True)
    return np.asarray(np.where(total > 0, weight / np.where(total > 0, total, 1.0), base_shares))


def turnover(
    sales: FloatArray,
    cohorts: FloatArray,
    survival: FloatArray,
    km_by_age: FloatArray,
) -> dict[str, FloatArray]:
    """Stock, scrappage and vehicle-km of a fleet, year by year.

    Parameters
    ----------
    sales
        New registrations by year and technology, shape ``(..., T, P)`` [vehicles/year];
        year 0 is the base year, whose sales are already inside ``cohorts``.
    cohorts
        Base-year stock by age, shape ``(..., A0, P)`` [vehicles].
    survival
        ``S(a)`` for ages ``0..A`` with ``A >= A0 + T``, shape ``(..., A+1)`` [0-1].
    km_by_age
        Annual distance by age, shape ``(..., A+1)`` [km/year].

    Returns
    -------
    dict
        ``stock`` (end of year), ``scrappage``, ``vkm`` [km], ``sales``, each ``(..., T, P)``;
        ``stock[t] = stock[t-1] + sales[t] - scrappage[t]`` for ``t >= 1``; year 0 reports the
        base-year stock and no scrappage.
    """
    n_years = sales.shape[-2]
    init_stock, init_vkm = initial_paths(cohorts, survival, km_by_age, n_years)
    new_sales = sales.copy()
    new_sales[..., 0, :] = 0.0  # base-year sales are part of the observed base stock
    m, k = cohort_matrices(n_years, survival, km_by_age)
    new_stock = m @ new_sales
    new_vkm = k @ new_sales
    stock = init_stock + new_stock
    # Scrappage counted cohort by cohort (vehicles lost between t-1 and t), not as a balance,
    # so that conservation is a property to test rather than a definition.
    shifted = np.concatenate([m[..., :1, :] * 0.0, m[..., :-1, :]], axis=-2)
    lost_new = np.where(np.tril(np.ones((n_years, n_years)), -1) > 0, shifted - m, 0.0) @ new_sales
    lost_init = np.concatenate(
        [init_stock[..., :1, :] * 0.0, init_stock[..., :-1, :] - init_stock[..., 1:, :]], axis=-2
    )
    scrappage = lost_new + lost_init
    return {"stock": stock, "scrappage": scrappage, "vkm": init_vkm + new_vkm, "sales": sales}
