//! A proposal laid out on the tariff cells of each side: segments of each cell with their rates,
//! the quotas and purchases whose rates the constraint loop solves for.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum SegRate {
    Base,
    Fixed(f64),
    Quota(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Segment {
    pub(super) share: f64,
    pub(super) rate: SegRate,
    pub(super) wedge: Option<usize>,
    pub(super) chapter: Option<u16>,
}

pub(super) struct Quota {
    pub(super) term: String,
    pub(super) quota_usd: f64,
    pub(super) t_in: f64,
    pub(super) t_out: f64,
    pub(super) rate: f64,
}

pub(super) struct Purchase {
    pub(super) term: String,
    pub(super) target_usd: f64,
    pub(super) wedge: f64,
    pub(super) capped: bool,
}

/// The proposal laid out on the tariff cells of one side: `cells[side][k]` lists segments whose shares add to 1.
pub(super) struct Plan {
    pub(super) cells: [Vec<Vec<Segment>>; 2],
    pub(super) quotas: Vec<Quota>,
    pub(super) purchases: Vec<Purchase>,
    pub(super) touched: Vec<bool>,
    pub(super) notes: Vec<String>,
}

pub(super) fn side_index(s: Side) -> usize {
    match s {
        Side::Us => 0,
        Side::Partner => 1,
    }
}

pub(super) fn plan(world: &World, terms: &Terms) -> Result<Plan, ScoreError> {
    let find = Lookup { world };
    let mut quotas = Vec::new();
    let items = items(terms, &mut quotas);
    let mut cells: [Vec<Vec<Segment>>; 2] = [Vec::new(), Vec::new()];
    for side in [Side::Us, Side::Partner] {
        for k in 0..world.cal.k {
            cells[side_index(side)].push(segments(&find, &items, side, k)?);
        }
    }
    // Which sectors a term touches.
    let mut touched = vec![false; world.cal.k];
    for (term, _, scope, _) in &items {
        match scope {
            Scope::All => {
                for (k, t) in touched.iter_mut().enumerate() {
                    *t |= world.chapters.covers_all(k);
                }
            }
            Scope::Sector(code) => touched[find.sector(term, code)?] = true,
            Scope::Chapter(c) => touched[find.chapter(term, *c)?.0] = true,
        }
    }
    let mut purchases = Vec::new();
    for (i, p) in terms.purchases.iter().enumerate() {
        let term = format!("purchase {}", i + 1);
        let idx = purchases.len();
        mark_purchase(
            &find,
            &mut cells[side_index(p.buyer)],
            &mut touched,
            &term,
            idx,
            &p.scope,
        )?;
        purchases.push(Purchase {
            term,
            target_usd: p.usd,
            wedge: 0.0,
            capped: false,
        });
    }
    Ok(Plan {
        cells,
        quotas,
        purchases,
        touched,
        notes: notes(world, terms),
    })
}

/// Where a term's sector or HS chapter lies in the world, or the term's error.
struct Lookup<'a> {
    world: &'a World,
}

impl Lookup<'_> {
    fn sector(&self, term: &str, code: &str) -> Result<usize, ScoreError> {
        let cal = &self.world.cal;
        cal.sectors
            .iter()
            .position(|s| s == code)
            .ok_or_else(|| ScoreError::Term {
                term: term.to_string(),
                message: format!(
                    "sector {code} is not a sector of world {} ({})",
                    self.world.name,
                    cal.sectors.join(", ")
                ),
            })
    }

    /// The chapter's sector and its share of the sector.
    fn chapter(&self, term: &str, c: u16) -> Result<(usize, f64), ScoreError> {
        self.world.chapters.get(c).ok_or_else(|| ScoreError::Term {
            term: term.to_string(),
            message: format!(
                "HS chapter {c:02} has no model sector in world {}",
                self.world.name
            ),
        })
    }
}

/// A term that sets a rate: its name, the side levying it, its scope and its rate.
type Item = (String, Side, Scope, SegRate);

/// The rate-setting terms, tariff lines then quotas; the quotas' own records go to `quotas`.
fn items(terms: &Terms, quotas: &mut Vec<Quota>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for (i, l) in terms.tariff_lines.iter().enumerate() {
        items.push((
            format!("tariff line {}", i + 1),
            l.levied_by,
            l.scope.clone(),
            SegRate::Fixed(l.rate_pct / 100.0),
        ));
    }
    for (i, q) in terms.quotas.iter().enumerate() {
        let term = format!("quota {}", i + 1);
        items.push((
            term.clone(),
            q.levied_by,
            q.scope.clone(),
            SegRate::Quota(quotas.len()),
        ));
        quotas.push(Quota {
            term,
            quota_usd: q.quota_usd(),
            t_in: q.in_quota_pct / 100.0,
            t_out: q.out_quota_pct / 100.0,
            rate: q.in_quota_pct / 100.0,
        });
    }
    items
}

/// The segments of `side`'s cell in sector `k`: one per HS chapter term, then the rest at the
/// level the broadest terms set (a sector term overrides an all-goods term).
fn segments(
    find: &Lookup,
    items: &[Item],
    side: Side,
    k: usize,
) -> Result<Vec<Segment>, ScoreError> {
    let world = find.world;
    let mut level = SegRate::Base;
    for (_, s, scope, rate) in items {
        if *s == side && *scope == Scope::All && world.chapters.covers_all(k) {
            level = *rate;
        }
    }
    for (term, s, scope, rate) in items {
        if let (true, Scope::Sector(code)) = (*s == side, scope) {
            if find.sector(term, code)? == k {
                level = *rate;
            }
        }
    }
    let mut segs = Vec::new();
    let mut carved = 0.0;
    for (term, s, scope, rate) in items {
        if let (true, Scope::Chapter(c)) = (*s == side, scope) {
            let (ck, share) = find.chapter(term, *c)?;
            if ck == k {
                segs.push(Segment {
                    share,
                    rate: *rate,
                    wedge: None,
                    chapter: Some(*c),
                });
                carved += share;
            }
        }
    }
    segs.push(Segment {
        share: (1.0 - carved).max(0.0),
        rate: level,
        wedge: None,
        chapter: None,
    });
    Ok(segs)
}

/// Mark the segments a purchase commitment (number `idx`) covers on the buyer's cells.
fn mark_purchase(
    find: &Lookup,
    cells: &mut [Vec<Segment>],
    touched: &mut [bool],
    term: &str,
    idx: usize,
    scope: &Scope,
) -> Result<(), ScoreError> {
    let world = find.world;
    let mark = |seg: &mut Segment| -> Result<(), ScoreError> {
        if seg.wedge.is_some() {
            return Err(ScoreError::Term {
                term: term.to_string(),
                message: "it overlaps another purchase commitment (commit once per good)".into(),
            });
        }
        seg.wedge = Some(idx);
        Ok(())
    };
    match scope {
        Scope::All => {
            for (k, segs) in cells.iter_mut().enumerate() {
                if world.chapters.covers_all(k) {
                    segs.iter_mut().try_for_each(mark)?;
                    touched[k] = true;
                }
            }
        }
        Scope::Sector(code) => {
            let k = find.sector(term, code)?;
            cells[k].iter_mut().try_for_each(mark)?;
            touched[k] = true;
        }
        Scope::Chapter(c) => {
            let (k, share) = find.chapter(term, *c)?;
            let segs = &mut cells[k];
            match segs.iter().position(|s| s.chapter == Some(*c)) {
                Some(pos) => mark(&mut segs[pos])?,
                None => {
                    let rest = segs.last_mut().expect("a rest segment");
                    rest.share = (rest.share - share).max(0.0);
                    let mut seg = Segment {
                        share,
                        rate: rest.rate,
                        wedge: None,
                        chapter: Some(*c),
                    };
                    mark(&mut seg)?;
                    segs.insert(0, seg);
                }
            }
            touched[k] = true;
        }
    }
    Ok(())
}

/// What the score says about terms it approximates or leaves out.
fn notes(world: &World, terms: &Terms) -> Vec<String> {
    let mut notes = Vec::new();
    let uses_chapters = terms
        .tariff_lines
        .iter()
        .map(|l| &l.scope)
        .chain(terms.quotas.iter().map(|q| &q.scope))
        .chain(terms.purchases.iter().map(|p| &p.scope))
        .any(|s| matches!(s, Scope::Chapter(_)));
    if uses_chapters && !world.chapters.weighted {
        notes.push(
            "HS-chapter terms apply to an equal share of their model sector (no chapter trade weights for this world)".into(),
        );
    }
    if !terms.non_tariff.is_empty() {
        notes.push(format!(
            "{} non-tariff term(s) recorded, not scored",
            terms.non_tariff.len()
        ));
    }
    notes
}

impl Plan {
    /// The (importer, exporter) pairs of a side for a partner.
    pub(super) fn pairs(side: usize, world: &World, partner: &Partner) -> Vec<(usize, usize)> {
        partner
            .members
            .iter()
            .map(|&m| {
                if side == 0 {
                    (world.us, m)
                } else {
                    (m, world.us)
                }
            })
            .collect()
    }

    /// The sectors (codes, in world order) with a segment that `which` selects, on either side.
    pub(super) fn sectors_of(
        &self,
        cal: &Calibration,
        which: impl Fn(&Segment) -> bool,
    ) -> Vec<String> {
        (0..cal.k)
            .filter(|&k| {
                self.cells
                    .iter()
                    .any(|side| side[k].iter().any(|s| s.share > 0.0 && which(s)))
            })
            .map(|k| cal.sectors[k].clone())
            .collect()
    }

    /// Write the deal's tariffs for the current quota rates and wedges.
    pub(super) fn apply(
        &self,
        world: &World,
        reference: &Reference,
        partner: &Partner,
        tariffs: &mut [f64],
        with_wedges: bool,
    ) {
        let cal = &world.cal;
        for side in 0..2 {
            for (k, segs) in self.cells[side].iter().enumerate() {
                for (importer, exporter) in Self::pairs(side, world, partner) {
                    let id = cal.index(k, exporter, importer);
                    let offset = if side == 0 { cal.tariffs[id] } else { 0.0 };
                    let mut t = 0.0;
                    for seg in segs {
                        let r = match seg.rate {
                            SegRate::Base => reference.tariffs[id] - offset,
                            SegRate::Fixed(r) => r,
                            SegRate::Quota(q) => self.quotas[q].rate,
                        };
                        let w = if with_wedges {
                            seg.wedge.map_or(0.0, |p| self.purchases[p].wedge)
                        } else {
                            0.0
                        };
                        t += seg.share * ((1.0 + offset + r) * (1.0 + w) - 1.0);
                    }
                    tariffs[id] = t;
                }
            }
        }
    }

    /// The reference-flow-weighted mean of `tariffs` over the cells of the segments `which` selects.
    pub(super) fn weighted_rate(
        &self,
        world: &World,
        partner: &Partner,
        reference: &Reference,
        tariffs: &[f64],
        which: impl Fn(&Segment) -> bool,
    ) -> f64 {
        let cal = &world.cal;
        let (mut w, mut t) = (0.0, 0.0);
        for side in 0..2 {
            for (k, segs) in self.cells[side].iter().enumerate() {
                for seg in segs.iter().filter(|s| which(s)) {
                    for (importer, exporter) in Self::pairs(side, world, partner) {
                        let id = cal.index(k, exporter, importer);
                        let x = seg.share * reference.equilibrium.flows[id];
                        w += x;
                        t += x * tariffs[id];
                    }
                }
            }
        }
        if w > 0.0 {
            t / w
        } else {
            0.0
        }
    }

    /// Start the quota rates and purchase wedges from their partial-equilibrium values on the
    /// reference flows, so the first GE solve lands close to the fixed point; rewrite `tariffs`.
    pub(super) fn predict(
        &mut self,
        world: &World,
        reference: &Reference,
        partner: &Partner,
        tariffs: &mut [f64],
    ) {
        for qi in 0..self.quotas.len() {
            let which = |s: &Segment| s.rate == SegRate::Quota(qi);
            let total = self.weighted_rate(world, partner, reference, &reference.tariffs, which);
            let mut d = self.demand(world, partner, &reference.equilibrium, which, 0.0, true);
            d.rate = total - d.offset;
            let q = &self.quotas[qi];
            self.quotas[qi].rate =
                quota_rate(q.quota_usd, q.t_in, q.t_out, &d, world.quota_method).0;
        }
        self.apply(world, reference, partner, tariffs, false);
        for pi in 0..self.purchases.len() {
            let which = |s: &Segment| s.wedge == Some(pi);
            let at_reference =
                self.weighted_rate(world, partner, reference, &reference.tariffs, which);
            let without_wedge = self.weighted_rate(world, partner, reference, tariffs, which);
            // The wedge that turns the deal's tariffs into the reference's: the flow was observed there.
            let seen = (1.0 + at_reference) / (1.0 + without_wedge) - 1.0;
            let d = self.demand(world, partner, &reference.equilibrium, which, seen, false);
            let (w, capped) = purchase_wedge(self.purchases[pi].target_usd, &d);
            self.purchases[pi].wedge = w;
            self.purchases[pi].capped = capped;
        }
        self.apply(world, reference, partner, tariffs, true);
    }

    /// The local demand of the flow a constraint covers: `which(seg)` says whether a segment counts.
    pub(super) fn demand(
        &self,
        world: &World,
        partner: &Partner,
        eq: &Equilibrium,
        which: impl Fn(&Segment) -> bool,
        rate: f64,
        with_offset: bool,
    ) -> LocalDemand {
        let cal = &world.cal;
        let (mut flow, mut offset, mut elasticity) = (0.0, 0.0, 0.0);
        for side in 0..2 {
            for (k, segs) in self.cells[side].iter().enumerate() {
                for seg in segs.iter().filter(|s| which(s)) {
                    for (importer, exporter) in Self::pairs(side, world, partner) {
                        let id = cal.index(k, exporter, importer);
                        let x = seg.share * eq.flows[id] * world.usd_per_unit;
                        flow += x;
                        if with_offset && side == 0 {
                            offset += x * cal.tariffs[id];
                        }
                        // Producer-price flows move with (1+t)^−(εφ+1): λ with −εφ, and 1/(1+t).
                        elasticity += x * (cal.params.epsilon_of(k) * cal.phi[importer] + 1.0);
                    }
                }
            }
        }
        if flow > 0.0 {
            offset /= flow;
            elasticity /= flow;
        } else {
            elasticity = cal.params.epsilon_of(0) + 1.0;
        }
        LocalDemand {
            flow,
            rate,
            offset,
            elasticity,
        }
    }
}
