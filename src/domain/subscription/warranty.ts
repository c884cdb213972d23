import { invoiceEffect, oneOffCharge } from './billing.js';
import { once, refuse, succeed } from './outcome.js';
import { findProduct, hardwareCatalog } from './plan-catalog.js';
import type { HardwareCatalog, HardwareWarranty, OperationOptions, OperationResult, Refusal, SubscriptionState } from './types.js';
import { addYears, localDate } from './zoned-time.js';

export interface WarrantyOptions extends OperationOptions {
  hardwareCatalog?: HardwareCatalog;
}

/**
 * 002: every system comes with a one-year hardware warranty from purchase. The product's maximum
 * is copied in at purchase so a later catalog change does not alter a warranty already sold. The
 * system it names is what its warranty tickets are covered for.
 */
export function initialWarranty(
  hardware: { productId: string; purchasedAt: number; systemId?: string },
  zone: string,
  catalog: HardwareCatalog,
): { ok: true; warranty: HardwareWarranty } | Refusal {
  const product = findProduct(catalog, hardware.productId);
  if (!product) return refuse('unknown_product', `product ${hardware.productId} is not in the hardware catalog`);
  const { purchasedAt } = hardware;
  return {
    ok: true,
    warranty: {
      productId: product.id,
      ...(hardware.systemId !== undefined ? { systemId: hardware.systemId } : {}),
      start: purchasedAt,
      end: addYears(purchasedAt, 1, zone),
      maxWarrantyYears: product.maxWarrantyYears,
      extensions: [],
    },
  };
}

/**
 * 002: one more year "by purchasing an extended warranty within the year of active Hardware
 * Warranty service", up to the product's maximum. The warranty, not the support contract, must be
 * active: hardware and software assurance are sold and checked separately. Years are added from
 * the purchase anchor so the end date stays on the purchase anniversary.
 */
export function extendWarranty(state: SubscriptionState, now: number, options?: WarrantyOptions): OperationResult {
  return once(state, options, () => {
    const warranty = state.warranty;
    if (!warranty) return refuse('no_warranty', 'this subscription has no hardware under warranty');
    const product = findProduct(options?.hardwareCatalog ?? hardwareCatalog, warranty.productId);
    if (!product) return refuse('unknown_product', `product ${warranty.productId} is not in the hardware catalog`);
    if (!product.extendable) {
      return refuse(
        'warranty_not_extendable',
        `the ${product.name} warranty cannot be extended (telephone sets and SIP clients are excluded)`,
      );
    }
    const zone = state.timeZone;
    if (now >= warranty.end) {
      return refuse(
        'warranty_expired',
        `the hardware warranty expired on ${localDate(warranty.end, zone)}; an extension must be bought while the warranty is active`,
      );
    }
    const years = 1 + warranty.extensions.length;
    if (years + 1 > warranty.maxWarrantyYears) {
      return refuse(
        'warranty_maximum_reached',
        `the ${product.name} warranty is limited to ${warranty.maxWarrantyYears} years in total and already runs until ${localDate(warranty.end, zone)}`,
      );
    }
    if (product.currency !== state.currency) {
      return refuse('invalid_input', `warranty is priced in ${product.currency}, the subscription in ${state.currency}`);
    }
    const newEnd = addYears(warranty.start, years + 1, zone);
    const next: SubscriptionState = {
      ...state,
      warranty: {
        ...warranty,
        end: newEnd,
        extensions: [...warranty.extensions, { purchasedAt: now, previousEnd: warranty.end, newEnd }],
      },
    };
    return succeed(next, [
      invoiceEffect(next, `warranty:${newEnd}`, [
        oneOffCharge(
          'warranty-extension',
          `${product.name} extended hardware warranty to ${localDate(newEnd, zone)}`,
          product.extensionPriceMinor,
          now,
        ),
      ]),
      {
        type: 'email',
        template: 'warranty-extended',
        emailKey: `${state.id}:warranty:${newEnd}`,
        data: { product: product.name, warrantyEnd: localDate(newEnd, zone) },
      },
    ]);
  });
}

/** Same half-open rule as support: a defect reported at the end instant is out of warranty. */
export function isHardwareCovered(state: SubscriptionState, t: number): boolean {
  const w = state.warranty;
  return w !== null && w.start <= t && t < w.end;
}
