"""The KPI formulas in French, shown to French-speaking users (tooltips, reports).

A test checks that every KPI of ``kpis.py`` has its French formula here.
"""

FORMULAS: dict[str, str] = {
    "marketing_cost_fully_loaded": "Coûts marketing plus la masse salariale marketing saisie "
    "pour la période (montants mensuels répartis également sur les jours du mois).",
    "cac_fully_loaded": "(Coûts marketing + masse salariale marketing + coûts commerciaux) / "
    "nouveaux clients, pour toute l'entreprise (masse salariale et coûts commerciaux n'ont pas "
    "de canal). Montants mensuels saisis, répartis également sur les jours du mois.",
    "marketing_cost": "Dépenses média (spend.cost) plus les coûts marketing hors média (les "
    "factures du plan d'actions qui ne sont pas déjà dans les dépenses importées : honoraires "
    "d'agence, stands, impression), datés dans la période. La masse salariale n'est pas incluse.",
    "new_customers": "B2B : leads dont customer_at tombe dans la période. B2C : clients dont la "
    "première commande tombe dans la période et qui sont venus par un canal. Par canal ou "
    "campagne selon le modèle d'attribution de la requête : le premier contact (par défaut) "
    "compte chaque client dans son canal d'origine ; dernier contact, linéaire, en U et "
    "décroissance temporelle le répartissent sur les contacts de son parcours (clients "
    "fractionnaires).",
    "cac": "Coûts marketing / nouveaux clients (global : identique sous tout modèle "
    "d'attribution). Par canal : coût du canal / nouveaux clients qui lui sont attribués selon "
    "le modèle d'attribution de la requête — premier contact par défaut (canal d'origine du "
    "lead, ou canal d'acquisition de la première commande) ; dernier contact, linéaire, en U "
    "(40/20/40) ou décroissance temporelle (demi-vie 7 jours) répartissent chaque client sur "
    "les canaux de son parcours.",
    "revenue": "Somme de orders.revenue datée dans la période, tous clients confondus.",
    "attributed_revenue": "Chiffre d'affaires des commandes de la période passées par des "
    "clients acquis par un canal marketing, attribué selon le modèle d'attribution de la "
    "requête : le premier contact (par défaut) le donne entier au canal d'acquisition ; les "
    "autres modèles répartissent les commandes de chaque client sur les canaux de son parcours "
    "selon leurs poids.",
    "romi": "(Chiffre d'affaires attribué − coûts marketing) / coûts marketing (sur le chiffre "
    "d'affaires, comme dans le guide) ; attribution selon le modèle de la requête, premier "
    "contact par défaut.",
    "romi_margin": "(Marge brute attribuée − coûts marketing) / coûts marketing, attribuée "
    "selon le modèle de la requête (premier contact par défaut) ; le chiffre d'affaires "
    "remplace la marge des commandes dont la marge est inconnue.",
    "roas": "Chiffre d'affaires attribué / coûts marketing, attribué selon le modèle de la "
    "requête (premier contact par défaut).",
    "ltv": "Marge brute cumulée à date, en moyenne par client de la cohorte acquise dans la "
    "période (première commande dans la période, via un canal) ; le chiffre d'affaires quand "
    "la marge est inconnue (signalé). Par canal, les clients de la cohorte sont attribués "
    "selon le modèle de la requête (premier contact par défaut).",
    "ltv_to_cac": "LTV historique de la cohorte de la période / CAC de la même période et du "
    "même canal, tous deux selon le modèle d'attribution de la requête (premier contact par "
    "défaut). Objectif ≥ 3.",
    "ltv_predictive": "En moyenne par client de la cohorte acquise dans la période : marge brute "
    "à date (chiffre d'affaires quand la marge est inconnue) + valeur attendue actualisée des 36 "
    "prochains mois (BG/NBD et Gamma-Gamma ajustés sur les commandes jusqu'à as_of, 1 % par "
    "mois ; n/d quand les modèles ne s'ajustent pas aux commandes). Par canal, attribuée selon "
    "le modèle de la requête.",
    "ltv_predictive_to_cac": "LTV prédictive de la cohorte de la période / CAC de la même "
    "période et du même canal, tous deux selon le modèle d'attribution de la requête (premier "
    "contact par défaut). Objectif ≥ 3.",
    "cac_payback_months": "Mois de marge brute par client nécessaires pour rembourser le CAC : "
    "CAC / (marge de la cohorte à date / mois-clients observés).",
    "leads": "Leads créés dans la période.",
    "mqls": "Leads devenus qualifiés marketing (MQL) dans la période.",
    "sqls": "Leads devenus qualifiés commercial (SQL) dans la période.",
    "opportunities": "Leads devenus opportunités dans la période.",
    "visit_to_lead": "Leads créés dans la période / sessions web de la période.",
    "lead_to_mql": "Cohorte : part des leads créés dans la période devenus MQL dans la fenêtre "
    "de maturité (seulement les leads dont la fenêtre est écoulée).",
    "mql_to_sql": "Cohorte : part des leads devenus MQL dans la période puis SQL dans la "
    "fenêtre de maturité.",
    "sql_to_opportunity": "Cohorte : part des leads devenus SQL dans la période puis "
    "opportunités dans la fenêtre de maturité.",
    "opportunity_to_won": "Cohorte : part des leads devenus opportunités dans la période puis "
    "clients dans la fenêtre de maturité.",
    "lead_to_customer": "Période : nouveaux clients / leads créés dans la période.",
    "mql_to_sql_period": "Période : leads devenus SQL dans la période / leads devenus MQL dans "
    "la période.",
    "pipeline_created": "Somme des montants des affaires créées dans la période.",
    "win_rate": "Affaires gagnées / affaires closes (gagnées + perdues), par date de clôture.",
    "average_deal": "Montant des affaires gagnées dans la période / leur nombre.",
    "sales_cycle_days": "Nombre moyen de jours entre la création et la clôture des affaires "
    "gagnées dans la période.",
    "nps": "% de promoteurs (9–10) − % de détracteurs (0–6), ×100, réponses datées dans la "
    "période.",
    "nps_low": "NPS − 1,96 × 100 × √(((P + D)/N − ((P − D)/N)²)/N) : borne basse de "
    "l'intervalle à 95 % tiré de la variance des notes +1/0/−1.",
    "nps_high": "NPS + 1,96 × 100 × √(((P + D)/N − ((P − D)/N)²)/N).",
    "nps_responses": "Réponses à l'enquête datées dans la période.",
    "impressions": "Impressions publicitaires déclarées par les plateformes (indicateur de "
    "vanité).",
    "clicks": "Clics publicitaires déclarés par les plateformes (indicateur de vanité).",
    "sessions": "Sessions web (outil d'analytics ; indicateur de vanité).",
}
